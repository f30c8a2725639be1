package dev.edapatterns.eventkit.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * The transactional workers against the real broker: every input record's output is committed exactly once, with
 * its offset, through an injected failure (the batch is aborted and processed again) and a second member joining
 * the group midway (a rebalance).
 */
class TransactionalWorkersTest {

    private static final int RECORDS = 600;

    private final Set<String> failOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger committed = new AtomicInteger();

    @Test
    void eachRecordsOutputCommitsExactlyOnceThroughAFailureAndARebalance() throws Exception {
        Topic<String, Country> in = Topic.builder(TestTopics.unique("tw-in"), Country.class).partitions(3).build();
        Topic<String, Country> out = Topic.builder(TestTopics.unique("tw-out"), Country.class).partitions(3).build();
        TestTopics.create(in, out);
        String group = TestTopics.unique("tw-group");
        failOnce.add("k-100");
        failOnce.add("k-450");

        try (TransactionalWorkers first = workers(in, out, group, "a").start()) {
            produce(in, 0, RECORDS / 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> committed.get() >= 100);
            try (TransactionalWorkers second = workers(in, out, group, "b").start()) {
                produce(in, RECORDS / 2, RECORDS);
                await().atMost(Duration.ofSeconds(90)).until(() -> groupOffsets(group, in) == RECORDS);
                assertTrue(first.isAlive() && second.isAlive());
            }
        }
        assertTrue(failOnce.isEmpty(), "both injected failures happened: " + failOnce);

        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> r : readCommitted(out)) {
            copies.merge(r.key(), 1, Integer::sum);
        }
        assertEquals(RECORDS, copies.size(), "every input has its output");
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "no output twice: " + copies);
        assertEquals(RECORDS, committed.get(), "after-commit actions ran once per committed record");
    }

    private TransactionalWorkers workers(Topic<String, Country> in, Topic<String, Country> out, String group, String instance) {
        String id = TestTopics.unique("tw-" + instance);
        return new TransactionalWorkers(TestKafka.clients(), new TransactionalWorkers.Settings(id, in.name(), group, 2, id + "-",
                Map.of("max.poll.records", 50), Map.of()), (record, tx) -> {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    Country c = in.valueDeserializer().deserialize(in.name(), record.value());
                    tx.send(out, key, c, new Header[0]);
                    if (failOnce.remove(key)) {
                        throw new IllegalStateException("injected failure after sending " + key);
                    }
                    tx.afterCommit(committed::incrementAndGet);
                });
    }

    private static void produce(Topic<String, Country> topic, int from, int to) throws Exception {
        try (KafkaProducer<String, Country> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), topic.valueSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic.name(), "k-" + i, new Country("XX", "n" + i, "EUR", List.of())));
            }
            producer.flush();
        }
    }

    private static long groupOffsets(String group, Topic<?, ?> topic) throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic.name()) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        }
    }

    private static List<ConsumerRecord<String, String>> readCommitted(Topic<?, ?> topic) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(TestKafka.clients().consumer(
                Map.of("isolation.level", "read_committed")), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
