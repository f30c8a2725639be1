package dev.edapatterns.eventkit.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

class AtomicStoreTest {

    static Counter.Topics topics;
    static AtomicStore<String, Counter, Counter.Add> store;

    @BeforeAll
    static void start() {
        topics = new Counter.Topics("atomic");
        store = AtomicStore.builder("counter-test", topics.commands, topics.store, Counter.reducer(topics.applied),
                Counter.Add::commandId).clients(TestKafka.clients()).transactionalId("atomic-store-test-1").start();
        await().atMost(Duration.ofSeconds(60)).until(() -> store.isReady() && store.stats().partitions() == 6);
    }

    @AfterAll
    static void stop() {
        store.close();
    }

    @Test
    void concurrentCommandsOnOneKeyApplyOneAfterAnotherInOrder() throws Exception {
        int senders = 4;
        int perSender = 250;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            String source = "sender-" + s;
            pool.submit(() -> {
                for (int i = 1; i <= perSender; i++) {
                    synchronized (sent) {
                        sent.add(store.send("hot", new Counter.Add(source + ":" + i, i, source, i)));
                    }
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long expectedTotal = senders * (long) perSender * (perSender + 1) / 2;
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("hot").map(Counter::count).orElse(0L) == senders * perSender);
        StoredState<Counter> stored = store.getStored("hot").orElseThrow();
        assertEquals(expectedTotal, stored.state().total(), "no update lost");
        assertEquals(senders * perSender, stored.version(), "one version step per command");
        assertEquals(0, stored.state().orderViolations(), "each sender's commands applied in the order sent");
        assertEquals(senders * perSender, stored.applied().size());
        // the ids "sender-s:1".."sender-s:250" are stored as one range per sender, not as 1,000 strings
        assertEquals(Map.of("sender-0:", "1-250", "sender-1:", "1-250", "sender-2:", "1-250", "sender-3:", "1-250"),
                stored.appliedRanges());
        assertEquals(List.of(), stored.appliedCommandIds());
    }

    @Test
    void sendAndAwaitAppliedAnswersWithTheStateThatIncludesTheCommand() throws Exception {
        for (int i = 1; i <= 5; i++) {
            StoredState<Counter> applied = store.sendAndAwaitApplied("ryw", new Counter.Add("ryw:" + i, i, "s", i))
                    .get(30, TimeUnit.SECONDS);
            assertTrue(applied.hasApplied("ryw:" + i));
            assertEquals(i, applied.state().count(), "command " + i + " and every one before it, nothing later");
            // no polling: the view answers with it as soon as the future completes
            assertEquals(applied, store.getStored("ryw").orElseThrow());
        }
        // a duplicate is already applied: answered from the current state
        assertEquals(5, store.sendAndAwaitApplied("ryw", new Counter.Add("ryw:3", 100, "s", 3)).get(30, TimeUnit.SECONDS)
                .state().count());
    }

    @Test
    void redeliveredCommandChangesNothing() throws Exception {
        store.send("dup", new Counter.Add("dup-1", 5, "s", 1)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("dup").isPresent());
        StoredState<Counter> before = store.getStored("dup").orElseThrow();
        long duplicatesBefore = store.stats().duplicates();

        // The same command id again (as after a producer retry or a reprocessed job), even with another body.
        store.send("dup", new Counter.Add("dup-1", 500, "s", 1)).get(10, TimeUnit.SECONDS);
        store.send("dup", new Counter.Add("dup-2", 1, "s", 2)).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("dup").orElseThrow().count() == 2);

        StoredState<Counter> after = store.getStored("dup").orElseThrow();
        assertEquals(6, after.state().total());
        assertEquals(before.version() + 1, after.version());
        assertEquals(duplicatesBefore + 1, store.stats().duplicates());
        long emittedForDup1 = TopicRecords.values(topics.applied).stream()
                .filter(a -> a.commandId().equals("dup-1")).count();
        assertEquals(1, emittedForDup1, "the side effect of a command is emitted once");
    }

    @Test
    void rejectedAndUndecodableCommandsAreSkippedAndTheKeyGoesOn() throws Exception {
        long rejectedBefore = store.stats().rejected();
        long undecodableBefore = store.stats().undecodable();
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.commands.name(), "skip".getBytes(StandardCharsets.UTF_8),
                    "{not json".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        store.send("skip", new Counter.Add("neg", -1, "s", 1)).get(10, TimeUnit.SECONDS);
        store.send("skip", new Counter.Add("ok", 3, "s", 1)).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> store.get("skip").isPresent());
        assertEquals(new Counter(3, 1, Map.of("s", 1L), 0), store.get("skip").orElseThrow());
        assertEquals(rejectedBefore + 1, store.stats().rejected());
        assertEquals(undecodableBefore + 1, store.stats().undecodable());
        assertTrue(store.isReady(), "a bad command is not fatal");
    }

    @Test
    void aStoreWithoutDeduplicationAppliesEveryCommandAndKeepsNoIds() throws Exception {
        Counter.Topics plain = new Counter.Topics("atomic-plain");
        try (AtomicStore<String, Counter, Counter.Add> counter = AtomicStore.builder("counter-plain", plain.commands,
                plain.store, Counter.reducer(plain.applied), AtomicStore.<Counter.Add>notDeduplicated())
                .clients(TestKafka.clients()).transactionalId("atomic-store-test-plain").start()) {
            for (int i = 0; i < 3; i++) {
                // the same id three times: with no deduplication each is a command of its own
                counter.send("k", new Counter.Add("same-id", 2, "s", i)).get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> counter.get("k").map(Counter::count).orElse(0L) == 3);
            StoredState<Counter> stored = counter.getStored("k").orElseThrow();
            assertEquals(6, stored.state().total());
            assertEquals(3, stored.version());
            assertEquals(List.of(), stored.appliedCommandIds(), "no ids kept: the state does not grow per command");
            assertEquals(Map.of(), stored.appliedRanges() == null ? Map.of() : stored.appliedRanges());
            assertEquals(0, counter.stats().duplicates());
        }
    }
}
