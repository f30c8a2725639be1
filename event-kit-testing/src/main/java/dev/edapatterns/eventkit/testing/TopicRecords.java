package dev.edapatterns.eventkit.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * A whole topic as a {@code read_committed} consumer sees it now, decoded with the catalog's serdes; records that
 * do not decode (poison records some tests write on purpose) are left out.
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    public static <V> List<ConsumerRecord<String, V>> readCommitted(Topic<String, V> topic) {
        return readCommitted(TestKafka.clients(), topic);
    }

    /** The same from another broker than the test JVM's (e.g. one in its own process that a test restarts). */
    public static <V> List<ConsumerRecord<String, V>> readCommitted(KafkaClients kafka, Topic<String, V> topic) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer(RecordRange.reader("read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            Map<TopicPartition, Long> from = new HashMap<>();
            parts.forEach(tp -> from.put(tp, 0L));
            RecordRange.read(c, from, c.endOffsets(parts), r -> {
                String key = topic.keyDeserializer().deserialize(r.topic(), r.key());
                try {
                    V value = topic.valueDeserializer().deserialize(r.topic(), r.headers(), r.value());
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), key, value));
                } catch (SerializationException poison) {
                    // not a record of this topic's type: not part of what the caller asks for
                }
            });
        }
        return out;
    }

    /**
     * Every record of a topic as stored: key as a string, value as raw bytes (null for a tombstone), headers kept;
     * {@code read_uncommitted} also shows the records of aborted transactions.
     */
    public static List<ConsumerRecord<String, byte[]>> raw(String topic, String isolation) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        StringDeserializer keys = new StringDeserializer();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TestKafka.clients().consumer(
                RecordRange.reader(isolation)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            RecordRange.read(c, c.beginningOffsets(parts), c.endOffsets(parts), r -> out.add(new ConsumerRecord<>(r.topic(),
                    r.partition(), r.offset(), r.timestamp(), r.timestampType(), r.serializedKeySize(),
                    r.serializedValueSize(), keys.deserialize(r.topic(), r.key()), r.value(), r.headers(), Optional.empty())));
        }
        return out;
    }

    /** Just the values, in partition order. */
    public static <V> List<V> values(Topic<String, V> topic) {
        return readCommitted(topic).stream().map(ConsumerRecord::value).toList();
    }
}
