package dev.edapatterns.eventkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;

class InFlightTest {

    private static final byte[] K = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void anOpenTransactionIsInFlightUntilItCommits() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("inflight"), Country.class).build();
        TestTopics.create(topic);
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
                "transactional.id", "inflight-test-" + UUID.randomUUID())), new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            int partition = tx.send(new ProducerRecord<>(topic.name(), K, K)).get().partition();
            String open = "open transaction on " + new TopicPartition(topic.name(), partition);
            assertTrue(InFlight.describe().contains(open), InFlight.describe());
            tx.commitTransaction();
            assertFalse(InFlight.describe().contains(open), InFlight.describe());
        }
    }

    @Test
    void aGroupWithMembersIsInFlightUntilItConsumedEveryCommittedRecord() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("inflight"), Country.class).build();
        TestTopics.create(topic);
        String group = "inflight-" + UUID.randomUUID();
        // transactional records: the last offsets are markers that a committed offset never passes
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
                "transactional.id", "inflight-test-" + UUID.randomUUID())), new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic.name(), 0, K, K));
            tx.send(new ProducerRecord<>(topic.name(), 0, K, K));
            tx.commitTransaction();
        }
        assertEquals(2, InFlight.backlog(group, topic.name()), "a group without offsets has everything ahead of it");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of(
                "group.id", group, "isolation.level", "read_committed")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            ConsumerRecord<byte[], byte[]> last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int seen = 0;
            while (seen < 2 && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    last = r;
                    seen++;
                }
            }
            assertEquals(2, seen);
            String busy = "group " + group + " has 2 to consume on " + new TopicPartition(topic.name(), 0);
            assertTrue(InFlight.describe().contains(busy), "consumed but not committed: " + InFlight.describe());

            consumer.commitSync(Map.of(new TopicPartition(last.topic(), last.partition()), new OffsetAndMetadata(last.offset() + 1)));
            assertEquals(0, InFlight.backlog(group, topic.name()));
            assertFalse(InFlight.describe().contains("group " + group), InFlight.describe());
        }
        assertEquals(0, InFlight.backlog(group, topic.name()), "the offsets stay when the member leaves");
    }
}
