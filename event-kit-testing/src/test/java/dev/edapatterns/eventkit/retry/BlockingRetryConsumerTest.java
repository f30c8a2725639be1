package dev.edapatterns.eventkit.retry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.TestKafka;

/** The blocking-retry consumer on its own, against the real broker: holding, releasing, and a rebalance while blocked. */
class BlockingRetryConsumerTest {

    private static final BackoffPolicy FAST = BackoffPolicy.infinite(Duration.ofMillis(100), 2, Duration.ofMillis(400));

    /** What the handler applied, in order, as "partition:offset:key". */
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final Set<String> failingKeys = ConcurrentHashMap.newKeySet();

    @Test
    void aBlockedRecordMovesWithItsPartitionToTheNextOwnerAndIsNeitherLostNorOvertaken() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("blocking"), Country.class).partitions(2).build();
        Topic<String, SkipDecision> skipsTopic = Topic.builder(TestTopics.unique("skips"), SkipDecision.class).compacted().build();
        TestTopics.create(topic, skipsTopic);
        String group = TestTopics.unique("group");
        String held = keyOn(0, "held");
        String neighbour = keyOn(0, "neighbour");
        String other = keyOn(1, "other");
        failingKeys.add(held);

        RecordMetadata blocking;
        try (CompactedStore<String, SkipDecision> store = store(skipsTopic);
                SkipDecisions skips = new SkipDecisions(skipsTopic, store, TestKafka.clients());
                BlockingRetryConsumer<String, Country> first = consumer(topic, group, skips).start()) {
            blocking = send(topic, held, "H1");
            send(topic, neighbour, "N1");
            send(topic, other, "O1");
            await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains("1:0:" + other) && !first.blocked().isEmpty());
            assertEquals(List.of(blocking.offset()), first.blocked().stream().map(BlockedRecord::offset).toList());

            // a second member joins, then the holder leaves: whoever owns partition 0 next starts at the blocked record
            try (BlockingRetryConsumer<String, Country> second = consumer(topic, group, skips).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> second.stats().assignments() > 0);
                first.close();
                await().atMost(Duration.ofSeconds(30)).until(() -> second.blocked().stream()
                        .anyMatch(b -> b.partition() == 0 && b.offset() == blocking.offset()));
                send(topic, other, "O2");
                await().atMost(Duration.ofSeconds(30)).until(() -> applied.stream().filter(a -> a.startsWith("1:")).count() >= 2);
                assertTrue(applied.stream().noneMatch(a -> a.startsWith("0:")), "partition 0 was overtaken: " + applied);

                failingKeys.clear();
                await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains("0:" + (blocking.offset() + 1) + ":" + neighbour));
                assertTrue(second.blocked().isEmpty());
            }
        }
        List<String> partition0 = new ArrayList<>(applied.stream().filter(a -> a.startsWith("0:")).distinct().toList());
        assertEquals(List.of("0:" + blocking.offset() + ":" + held, "0:" + (blocking.offset() + 1) + ":" + neighbour),
                partition0);
    }

    @Test
    void aSkipIsRecordedAndHonouredByTheNextConsumerOfTheRecord() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("blocking"), Country.class).partitions(1).build();
        Topic<String, SkipDecision> skipsTopic = Topic.builder(TestTopics.unique("skips"), SkipDecision.class).compacted().build();
        TestTopics.create(topic, skipsTopic);
        failingKeys.add("bad");
        RecordMetadata bad;
        try (CompactedStore<String, SkipDecision> store = store(skipsTopic);
                SkipDecisions skips = new SkipDecisions(skipsTopic, store, TestKafka.clients());
                BlockingRetryConsumer<String, Country> consumer = consumer(topic, TestTopics.unique("group"), skips).start()) {
            bad = send(topic, "bad", "B1");
            send(topic, "good", "G1");
            await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.blocked().isEmpty());
            SkipDecision decision = consumer.skip(0, bad.offset(), "test").get(30, TimeUnit.SECONDS);
            assertEquals("test", decision.reason());
            await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains("0:1:good"));
        }
        // another group (a replay from the beginning) with decisions read back from the topic: passes over it
        applied.clear();
        try (CompactedStore<String, SkipDecision> store = store(skipsTopic);
                SkipDecisions skips = new SkipDecisions(skipsTopic, store, TestKafka.clients());
                BlockingRetryConsumer<String, Country> replay = consumer(topic, TestTopics.unique("group"), skips).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains("0:1:good"));
            assertEquals(List.of("0:1:good"), applied);
            assertTrue(replay.blocked().isEmpty());
            assertEquals(1, replay.stats().skippedByDecision());
        }
    }

    private BlockingRetryConsumer<String, Country> consumer(Topic<String, Country> topic, String group, SkipDecisions skips) {
        return BlockingRetryConsumer.builder("test", topic).groupId(group).policy(FAST).skipDecisions(skips)
                .consumerProps(TestKafka.clients().consumer(Map.of()))
                .handler(record -> {
                    if (failingKeys.contains(record.key())) {
                        throw new IllegalStateException("failing on purpose: " + record.key());
                    }
                    applied.add(record.partition() + ":" + record.offset() + ":" + record.key());
                }).build();
    }

    private static CompactedStore<String, SkipDecision> store(Topic<String, SkipDecision> topic) {
        CompactedStore<String, SkipDecision> store = CompactedStore.builder(topic).start(TestKafka.clients().consumer(Map.of()));
        assertTrue(store.awaitLoaded(Duration.ofSeconds(30)));
        return store;
    }

    private static String keyOn(int partition, String prefix) {
        for (int i = 0;; i++) {
            String key = prefix + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return key;
            }
        }
    }

    private static RecordMetadata send(Topic<String, Country> topic, String key, String name) throws Exception {
        try (KafkaProducer<String, Country> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                topic.keySerializer(), topic.valueSerializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, new Country("XX", name, "EUR", List.of())))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
