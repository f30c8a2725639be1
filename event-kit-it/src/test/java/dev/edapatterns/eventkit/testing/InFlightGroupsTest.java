package dev.edapatterns.eventkit.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

class InFlightGroupsTest {

    @Test
    void caughtUpOnlyWhenNothingCommittedIsLeftAndNoTransactionIsOpen() throws Exception {
        Topic<String, Country> input = Topic.builder(TestTopics.unique("caught-up"), Country.class).partitions(1).build();
        Topic<String, Country> elsewhere = Topic.builder(TestTopics.unique("caught-up"), Country.class).partitions(1).build();
        TestTopics.create(input, elsewhere);
        TopicPartition tp = new TopicPartition(input.name(), 0);
        String group = "caught-up-" + UUID.randomUUID();
        byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
                "transactional.id", "caught-up-test-" + UUID.randomUUID())), new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of("group.id", group)),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(input.name(), k, k)).get();
            tx.commitTransaction();
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0)));
            assertFalse(InFlight.caughtUp(TestKafka.clients(), List.of(group)), "a committed record left to consume");

            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(1))); // past the record, not its commit marker
            assertTrue(InFlight.caughtUp(TestKafka.clients(), List.of(group)), "only the marker is left");

            // another group, caught up on another topic: each group is judged on its own topics only
            String otherGroup = "caught-up-" + UUID.randomUUID();
            try (KafkaConsumer<byte[], byte[]> other = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of("group.id",
                    otherGroup)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                tx.beginTransaction();
                tx.send(new ProducerRecord<>(elsewhere.name(), k, k)).get();
                tx.commitTransaction();
                other.commitSync(Map.of(new TopicPartition(elsewhere.name(), 0), new OffsetAndMetadata(1)));
            }
            assertTrue(InFlight.caughtUp(TestKafka.clients(), List.of(group, otherGroup)), "both groups caught up");

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(input.name(), k, k)).get();
            tx.abortTransaction();
            assertTrue(InFlight.caughtUp(TestKafka.clients(), List.of(group)), "aborted records are nothing to consume");

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(input.name(), k, k)).get();
            assertFalse(InFlight.caughtUp(TestKafka.clients(), List.of(group)), "a transaction open on the input");
            tx.commitTransaction();
            assertFalse(InFlight.caughtUp(TestKafka.clients(), List.of(group)), "its record is left to consume");
        }
    }
}
