package dev.edapatterns.eventkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;

class CommittedRecordsTest {

    @Test
    void countsOnlyCommittedRecordsSinceTheSnapshot() throws Exception {
        Topic<String, Country> committedTopic = Topic.builder(TestTopics.unique("count"), Country.class).build();
        Topic<String, Country> abortedTopic = Topic.builder(TestTopics.unique("count"), Country.class).build();
        TestTopics.create(committedTopic, abortedTopic);
        byte[] k = "k".getBytes(StandardCharsets.UTF_8);
        CommittedRecords snapshot;
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
                "transactional.id", "count-test-" + UUID.randomUUID())), new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(abortedTopic.name(), k, k)).get();
            tx.abortTransaction();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(committedTopic.name(), k, k)).get(); // before the snapshot: not counted
            tx.commitTransaction();

            snapshot = CommittedRecords.snapshot();
            assertEquals(Map.of(), snapshot.newRecords());

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(abortedTopic.name(), k, k)).get();
            tx.send(new ProducerRecord<>(abortedTopic.name(), k, k)).get();
            tx.abortTransaction();
            assertEquals(Map.of(), snapshot.newRecords(), "aborted records and markers are not records");

            tx.beginTransaction();
            tx.send(new ProducerRecord<>(committedTopic.name(), k, k)).get();
            tx.send(new ProducerRecord<>(committedTopic.name(), null, k, k, List.of(new RecordHeader("h", k)))).get();
            tx.commitTransaction();
        }
        assertEquals(Map.of(committedTopic.name(), 2L), snapshot.newRecords());
        assertEquals(2, snapshot.newRecords(committedTopic.name()));
        assertEquals(0, snapshot.newRecords(abortedTopic.name()));
        List<ConsumerRecord<byte[], byte[]>> records = snapshot.newRecordList();
        assertEquals(List.of(committedTopic.name(), committedTopic.name()), records.stream().map(ConsumerRecord::topic).toList());
        assertEquals(null, records.get(0).headers().lastHeader("h"));
        assertEquals("k", new String(records.get(1).headers().lastHeader("h").value(), StandardCharsets.UTF_8), "headers kept");
    }
}
