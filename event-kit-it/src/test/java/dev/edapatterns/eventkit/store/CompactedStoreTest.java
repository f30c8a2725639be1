package dev.edapatterns.eventkit.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.testing.TestKafka;

class CompactedStoreTest {

    record Change(String key, Country oldValue, Country newValue, boolean loading) {
    }

    private static final Country FR = new Country("FR", "France", "EUR", List.of("Europe/Paris"));
    private static final Country FR2 = new Country("FR", "République française", "EUR", List.of("Europe/Paris"));
    private static final Country DE = new Country("DE", "Germany", "EUR", List.of("Europe/Berlin"));
    private static final Country JP = new Country("JP", "Japan", "JPY", List.of("Asia/Tokyo"));

    @Test
    void replaysTheTopicThenFollowsItLive() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("store"), Country.class).compacted().build();
        TestTopics.create(topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, topic, "FR", FR);
            send(producer, topic, "DE", DE);
            send(producer, topic, "FR", FR2);      // overwrite
            send(producer, topic, "JP", JP);
            send(producer, topic, "JP", null);     // tombstone
            producer.send(new ProducerRecord<>(topic.name(), "XX".getBytes(StandardCharsets.UTF_8),
                    "{broken".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS); // poison
            producer.flush();

            List<Change> changes = new CopyOnWriteArrayList<>();
            try (CompactedStore<String, Country> store = CompactedStore.builder(topic)
                    .listener((k, o, n, loading) -> changes.add(new Change(k, o, n, loading)))
                    .start(TestKafka.clients().consumer(Map.of()))) {
                assertTrue(store.awaitLoaded(Duration.ofSeconds(30)));

                assertEquals(Map.of("FR", FR2, "DE", DE), store.snapshot());
                assertEquals(Optional.empty(), store.get("JP"));
                assertEquals(6, store.stats().records());
                assertEquals(1, store.stats().skipped(), "the poison record is counted, not fatal");
                assertTrue(store.stats().loadDuration().isPresent());
                assertTrue(changes.stream().allMatch(Change::loading));
                // order holds per key (per partition), not across keys
                assertEquals(List.of(new Change("FR", null, FR, true), new Change("FR", FR, FR2, true)), of("FR", changes));
                assertEquals(List.of(new Change("JP", null, JP, true), new Change("JP", JP, null, true)), of("JP", changes));

                // live: an update, a new key and a delete arrive within seconds, listeners see old and new values
                changes.clear();
                send(producer, topic, "DE", null);
                Country it = new Country("IT", "Italy", "EUR", List.of("Europe/Rome"));
                send(producer, topic, "IT", it);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.get("IT").isPresent());
                assertFalse(store.get("DE").isPresent());
                assertEquals(List.of(new Change("DE", DE, null, false)), of("DE", changes));
                assertEquals(List.of(new Change("IT", null, it, false)), of("IT", changes));
                assertEquals(0, store.stats().lag());
                assertTrue(store.isLoaded());
            }
        }
    }

    @Test
    void waitsForATopicThatDoesNotExistYet() {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("late"), Country.class).compacted().build();
        try (CompactedStore<String, Country> store = CompactedStore.builder(topic).start(TestKafka.clients().consumer(Map.of()))) {
            assertFalse(store.awaitLoaded(Duration.ofSeconds(2)), "not ready while the topic is missing");
            TestTopics.create(topic);
            assertTrue(store.awaitLoaded(Duration.ofSeconds(60)));
            assertEquals(0, store.size());
        }
    }

    @Test
    void caughtUpLetsAWriterReadItsOwnWrites() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("ryw"), Country.class).compacted().build();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer());
                CompactedStore<String, Country> store = CompactedStore.builder(topic).start(TestKafka.clients().consumer(Map.of()))) {
            // asked before the topic even exists: served once the store has its partitions
            CompletableFuture<Void> early = store.caughtUp();
            TestTopics.create(topic);
            early.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                Country version = new Country("FR", "France " + i, "EUR", List.of("Europe/Paris"));
                send(producer, topic, "FR", version);
                store.caughtUp().get(10, TimeUnit.SECONDS);
                // no polling, no sleep: the acknowledged write is visible as soon as caughtUp completes
                assertEquals(Optional.of(version), store.get("FR"), "write " + i);
            }
            send(producer, topic, "FR", null);
            store.caughtUp().get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), store.get("FR"));
        }
        CompactedStore<String, Country> closed = CompactedStore.builder(topic).start(TestKafka.clients().consumer(Map.of()));
        closed.close();
        ExecutionException after = assertThrows(ExecutionException.class, () -> closed.caughtUp().get(10, TimeUnit.SECONDS));
        assertTrue(after.getCause() instanceof IllegalStateException, "a closed store refuses, never hangs");
    }

    @Test
    void whenVisibleCompletesOnTheApplyThatShowsTheWrite() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("visible"), Country.class).compacted().build();
        TestTopics.create(topic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer());
                CompactedStore<String, Country> store = CompactedStore.builder(topic).start(TestKafka.clients().consumer(Map.of()))) {
            assertTrue(store.awaitLoaded(Duration.ofSeconds(30)));
            // registered before the write: completes with exactly the value waited for, not with an earlier one
            CompletableFuture<Country> second = store.whenVisible("FR", FR2::equals);
            send(producer, topic, "FR", FR);
            send(producer, topic, "FR", FR2);
            assertEquals(FR2, second.get(10, TimeUnit.SECONDS));
            assertEquals(Optional.of(FR2), store.get("FR"), "visible: the store answers with it");
            // already visible: at once, from the caller's thread
            CompletableFuture<Country> again = store.whenVisible("FR", FR2::equals);
            assertTrue(again.isDone());
            // a tombstone is visible as absence
            CompletableFuture<Country> gone = store.whenVisible("FR", v -> v == null);
            send(producer, topic, "FR", null);
            gone.get(10, TimeUnit.SECONDS);
            assertEquals(Optional.empty(), store.get("FR"));
            // a wait that never comes true fails when the store closes, it never hangs
            CompletableFuture<Country> never = store.whenVisible("XX", JP::equals);
            store.close();
            ExecutionException closed = assertThrows(ExecutionException.class, () -> never.get(10, TimeUnit.SECONDS));
            assertTrue(closed.getCause() instanceof IllegalStateException);
        }
    }

    private static List<Change> of(String key, List<Change> changes) {
        return changes.stream().filter(c -> c.key().equals(key)).toList();
    }

    static void send(KafkaProducer<byte[], byte[]> producer, Topic<String, Country> topic, String key, Country value)
            throws Exception {
        RecordHeaders headers = new RecordHeaders();
        producer.send(new ProducerRecord<>(topic.name(), null, key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerializer().serialize(topic.name(), headers, value), headers)).get(10, TimeUnit.SECONDS);
    }
}
