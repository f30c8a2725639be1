package dev.edapatterns.eventkit.ordered;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * The key-ordered processor against the real broker: one key's records in offset order and never two at once,
 * different keys at the same time (within the bound), and the committed offset of a partition never past a record
 * that is still running, while later records of other keys on that partition are done meanwhile.
 */
class KeyOrderedProcessorTest {

    private static final int KEYS = 16;
    private static final int PER_KEY = 40;
    private static final int WORKERS = 4;

    private final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final CountDownLatch slowReleased = new CountDownLatch(1);

    @Test
    void keysInOrderOneAtATimeConcurrentAcrossKeysAndCommitsNeverPastARunningRecord() throws Exception {
        String topic = TestTopics.unique("ordered");
        String group = TestTopics.unique("group");
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            RecordMetadata slow;
            Map<TopicPartition, Long> ends = new ConcurrentHashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "slow", "-1")); // done before: the commit point moves to slow:0
                slow = producer.send(new ProducerRecord<>(topic, "slow", "0")).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < PER_KEY; i++) {
                    for (int k = 0; k < KEYS; k++) {
                        producer.send(new ProducerRecord<>(topic, "key" + k, Integer.toString(i)));
                    }
                }
                producer.send(new ProducerRecord<>(topic, "slow", "1"));
                producer.flush();
            }
            for (int p = 0; p < 2; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                ends.put(tp, admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                        .get(30, TimeUnit.SECONDS).get(tp).offset());
            }
            TopicPartition slowPartition = new TopicPartition(topic, slow.partition());

            try (KeyOrderedProcessor<String, String> processor = KeyOrderedProcessor
                    .builder("ordered-test", new StringDeserializer(), new StringDeserializer())
                    .topics(List.of(topic)).groupId(group).consumerProps(TestKafka.clients().consumer(Map.of()))
                    .maxConcurrentKeys(WORKERS).handler(r -> handle(r.key(), Integer.parseInt(r.value()))).build().start()) {
                // everything but the slow key is done, including the records after it on its partition
                await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, KEYS)
                        .allMatch(k -> seen.getOrDefault("key" + k, List.of()).size() == PER_KEY));
                long laterOnSlowPartition = ends.get(slowPartition) - slow.offset() - 2; // minus slow 0 and 1
                assertTrue(laterOnSlowPartition > 0, "other keys share the slow key's partition");
                // the commit point stays at the running record
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, other(slowPartition)) == ends
                        .get(other(slowPartition)));
                assertEquals(slow.offset(), committed(admin, group, slowPartition), "never past the running record");
                assertEquals(List.of(-1), seen.get("slow"), "the slow key's next record waits behind it");

                slowReleased.countDown();
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, slowPartition) == ends.get(slowPartition));
                assertEquals(List.of(-1, 0, 1), seen.get("slow"));
                assertEquals(KEYS * PER_KEY + 3, processor.stats().handled());
            }
        }
        assertEquals(0, overlaps.get(), "one key's records never overlap");
        assertTrue(maxRunning.get() > 1, "keys ran concurrently: " + maxRunning.get());
        assertTrue(maxRunning.get() <= WORKERS, "within the bound: " + maxRunning.get());
        List<Integer> inOrder = IntStream.range(0, PER_KEY).boxed().toList();
        IntStream.range(0, KEYS).forEach(k -> assertEquals(inOrder, seen.get("key" + k), "key" + k));
    }

    /**
     * A second member joins while the first is busy: the revocation waits for the running handlers and commits what is
     * done, so one key is never handled by both members at once, every record is handled, and each key's records are
     * first handled in offset order (a record done after an unfinished one may be handled again by the next owner).
     */
    @Test
    void aRebalanceNeverLetsTwoMembersHandleOneKeyAtOnce() throws Exception {
        String topic = TestTopics.unique("ordered-rebalance");
        String group = TestTopics.unique("group");
        int keys = 8;
        int before = 30; // each key's records there when the first member starts
        int perKey = before + 10; // and after the second member got its partition
        List<Handled> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(topic, keys, 0, before);
        List<Assigned> assigned = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KeyOrderedProcessor<String, String> first = member("first", topic, group, handled, assigned).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() >= keys * before / 4);
            try (KeyOrderedProcessor<String, String> second = member("second", topic, group, handled, assigned).start()) {
                // the first member is busy while the second joins; once the second owns a partition, more records make
                // sure it has work, however much of the rest the first got through while the group rebalanced
                await().atMost(Duration.ofSeconds(60)).until(() -> assigned.stream()
                        .anyMatch(a -> a.member.equals("second") && !a.partitions.isEmpty()));
                produce(topic, keys, before, perKey);
                await().atMost(Duration.ofSeconds(60)).until(() -> second.stats().handled() > 0);
                await().atMost(Duration.ofSeconds(60)).until(() -> handled.stream().map(h -> h.key + ":" + h.seq).distinct()
                        .count() == keys * perKey);
            }
        }
        List<Handled> all = new ArrayList<>(handled);
        for (int k = 0; k < keys; k++) {
            String key = "key" + k;
            List<Handled> ofKey = all.stream().filter(h -> h.key.equals(key)).sorted(java.util.Comparator.comparingLong(h -> h.start))
                    .toList();
            for (int i = 1; i < ofKey.size(); i++) {
                assertTrue(ofKey.get(i).start >= ofKey.get(i - 1).end, key + " handled twice at once: " + ofKey.get(i - 1)
                        + " and " + ofKey.get(i));
            }
            assertEquals(IntStream.range(0, perKey).boxed().toList(), ofKey.stream().map(h -> h.seq).distinct().toList(),
                    key + " first handled in offset order");
        }
        assertTrue(all.stream().map(h -> h.member).distinct().count() == 2, "both members handled records");
        // each member was told of a partition before it handled any record of it (onAssigned)
        for (Handled h : all) {
            assertTrue(assigned.stream().anyMatch(a -> a.member.equals(h.member) && a.partitions.contains(h.partition)
                    && a.at <= h.start), h + " before its member was told of partition " + h.partition + ": " + assigned);
        }
    }

    private record Assigned(String member, java.util.Set<Integer> partitions, long at) {
    }

    /** Records {@code from} to {@code to} (exclusive) of each key, the key's sequence number as the value. */
    private static void produce(String topic, int keys, int from, int to) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                for (int k = 0; k < keys; k++) {
                    producer.send(new ProducerRecord<>(topic, "key" + k, Integer.toString(i)));
                }
            }
        }
    }

    /**
     * Blocking retry of one key, not of its partition: a failing record of key "held" holds that key (its later record
     * waits) while 300 records of other keys on the same partition are handled; the committed offset stays at the
     * failing record; an operator's skip releases the key and the commit point moves to the end.
     */
    @Test
    void aFailingRecordHoldsOnlyItsKeyAndTheCommitStaysBelowIt() throws Exception {
        String topic = TestTopics.unique("ordered-blocked");
        String group = TestTopics.unique("group");
        List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordMetadata failing;
        RecordMetadata last;
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "first", "0")); // done: the commit point moves up to the failing one
                failing = producer.send(new ProducerRecord<>(topic, "held", "fails")).get(30, TimeUnit.SECONDS);
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>(topic, "other" + (i % 30), Integer.toString(i)));
                }
                last = producer.send(new ProducerRecord<>(topic, "held", "later")).get(30, TimeUnit.SECONDS);
            }
            try (KeyOrderedProcessor<String, String> processor = KeyOrderedProcessor
                    .builder("blocked-test", new StringDeserializer(), new StringDeserializer())
                    .topics(List.of(topic)).groupId(group).consumerProps(TestKafka.clients().consumer(Map.of()))
                    .maxConcurrentKeys(WORKERS)
                    .retryPolicy(new dev.edapatterns.eventkit.retry.BackoffPolicy(Duration.ofMillis(50), 2, Duration.ofMillis(200),
                            java.util.OptionalInt.of(3)))
                    .holdWhenExhausted()
                    .handler(r -> {
                        if (r.value().equals("fails")) {
                            throw new IllegalStateException("failing on purpose");
                        }
                        done.add(r.key() + ":" + r.value());
                    }).build().start()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> done.stream().filter(d -> d.startsWith("other")).count() == 300);
                await().atMost(Duration.ofSeconds(30)).until(() -> processor.stats().failedAttempts() >= 3);
                TopicPartition tp = new TopicPartition(topic, 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, tp) == failing.offset());
                assertEquals(List.of("held"), processor.blocked().stream().map(KeyOrderedProcessor.BlockedKey::key).toList());
                assertEquals(failing.offset(), processor.blocked().get(0).offset());
                assertTrue(done.stream().noneMatch(d -> d.startsWith("held")), "the key's later record waits: " + done);
                assertEquals(failing.offset(), committed(admin, group, tp), "held after its retries ran out");
                assertNull(processor.blocked().get(0).nextAttempt(), "exhausted: waits for an operator");

                // the operator's commands by position run on the key's worker: a retry answers with the key's new state,
                // a skip whose decision fails leaves the key blocked, a command naming another record is refused
                int attempts = processor.blocked().get(0).attempts();
                KeyOrderedProcessor.BlockedKey still = processor.retryNow("held", topic, 0, failing.offset())
                        .get(30, TimeUnit.SECONDS).orElseThrow();
                assertEquals(attempts + 1, still.attempts());
                assertTrue(still.error().contains("failing on purpose"), still.error());
                ExecutionException refused = assertThrows(
                        ExecutionException.class, () -> processor.skip("held", topic, 0, failing.offset(),
                                b -> {
                                    throw new IllegalStateException("decision not recorded");
                                }).get(30, TimeUnit.SECONDS));
                assertEquals("decision not recorded", refused.getCause().getMessage());
                assertEquals(List.of(failing.offset()), processor.blocked().stream().map(KeyOrderedProcessor.BlockedKey::offset)
                        .toList());
                assertThrows(ExecutionException.class,
                        () -> processor.retryNow("held", topic, 0, last.offset()).get(30, TimeUnit.SECONDS));

                assertTrue(processor.skip("held", topic, 0, failing.offset()));
                await().atMost(Duration.ofSeconds(30)).until(() -> done.contains("held:later"));
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, tp) == last.offset() + 1);
                assertEquals(List.of(), processor.blocked());
            }
        }
    }

    /**
     * A blocked key moves with its partition: a second member joins and the holder leaves; the new owner starts at the
     * committed offset (the blocked record), blocks the key there again, and the key's later record still waits; once
     * the failure ends, the key's records are handled in order, none lost and none overtaken.
     */
    @Test
    void aBlockedKeyMovesWithItsPartitionToTheNextOwnerAndIsNeitherLostNorOvertaken() throws Exception {
        String topic = TestTopics.unique("ordered-blocked-moves");
        String group = TestTopics.unique("group");
        List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean failing = new AtomicBoolean(true);
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            RecordMetadata held;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "before", "0")); // done: the commit point moves up to held:1
                held = producer.send(new ProducerRecord<>(topic, "held", "1")).get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(topic, "neighbour", "1"));
                producer.send(new ProducerRecord<>(topic, "held", "2")).get(30, TimeUnit.SECONDS);
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            KeyOrderedProcessor<String, String> first = blockingMember("first", topic, group, done, failing).start();
            try (KeyOrderedProcessor<String, String> second = blockingMember("second", topic, group, done, failing)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> done.contains("neighbour:1") && !first.blocked().isEmpty());
                assertEquals(List.of(held.offset()), first.blocked().stream().map(KeyOrderedProcessor.BlockedKey::offset).toList());
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(admin, group, tp) == held.offset());

                second.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> second.stats().rebalances() > 0);
                first.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> second.blocked().stream()
                        .anyMatch(b -> b.key().equals("held") && b.offset() == held.offset()));
                assertTrue(done.stream().noneMatch(d -> d.startsWith("held")), "the key was overtaken: " + done);

                failing.set(false);
                await().atMost(Duration.ofSeconds(30)).until(() -> done.contains("held:2"));
                assertTrue(second.blocked().isEmpty());
            } finally {
                first.close();
            }
        }
        assertEquals(List.of("held:1", "held:2"), done.stream().filter(d -> d.startsWith("held")).toList());
    }

    private static KeyOrderedProcessor<String, String> blockingMember(String name, String topic, String group,
            List<String> done, AtomicBoolean failing) {
        return KeyOrderedProcessor.builder(name, new StringDeserializer(), new StringDeserializer()).topics(List.of(topic))
                .groupId(group).consumerProps(TestKafka.clients().consumer(Map.of())).maxConcurrentKeys(WORKERS)
                .retryPolicy(dev.edapatterns.eventkit.retry.BackoffPolicy.infinite(Duration.ofMillis(100), 2,
                        Duration.ofMillis(400)))
                .holdWhenExhausted()
                .handler(r -> {
                    if (r.key().equals("held") && failing.get()) {
                        throw new IllegalStateException("failing on purpose");
                    }
                    done.add(r.key() + ":" + r.value());
                }).build();
    }

    private record Handled(String member, String key, int partition, int seq, long start, long end) {
    }

    private static KeyOrderedProcessor<String, String> member(String name, String topic, String group, List<Handled> handled,
            List<Assigned> assigned) {
        return KeyOrderedProcessor.builder(name, new StringDeserializer(), new StringDeserializer()).topics(List.of(topic))
                .groupId(group).consumerProps(TestKafka.clients().consumer(Map.of())).maxConcurrentKeys(WORKERS)
                .onAssigned(tps -> assigned.add(new Assigned(name, tps.stream().map(TopicPartition::partition)
                        .collect(java.util.stream.Collectors.toSet()), System.nanoTime())))
                .handler(r -> {
                    long start = System.nanoTime();
                    Thread.sleep(20);
                    handled.add(new Handled(name, r.key(), r.partition(), Integer.parseInt(r.value()), start, System.nanoTime()));
                }).build();
    }

    private void handle(String key, int seq) throws InterruptedException {
        if (runningPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            if (key.equals("slow") && seq == 0) {
                assertTrue(slowReleased.await(60, TimeUnit.SECONDS));
            } else {
                Thread.sleep(1); // a handler that waits for something, as real ones do: lets keys overlap
            }
            seen.computeIfAbsent(key, k -> new ArrayList<>()).add(seq);
        } finally {
            running.decrementAndGet();
            runningPerKey.get(key).decrementAndGet();
        }
    }

    private static TopicPartition other(TopicPartition tp) {
        return new TopicPartition(tp.topic(), 1 - tp.partition());
    }

    private static long committed(Admin admin, String group, TopicPartition tp) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .get(tp);
        return o == null ? -1 : o.offset();
    }
}
