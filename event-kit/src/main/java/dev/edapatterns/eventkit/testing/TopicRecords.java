package dev.edapatterns.eventkit.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.edapatterns.contracts.Topic;

/**
 * A whole topic as a {@code read_committed} consumer sees it now, decoded with the catalog's serdes; records that
 * do not decode (poison records some tests write on purpose) are left out.
 */
public final class TopicRecords {

    private TopicRecords() {
    }

    public static <V> List<ConsumerRecord<String, V>> readCommitted(Topic<String, V> topic) {
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of(
                "isolation.level", "read_committed")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
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

    /** Just the values, in partition order. */
    public static <V> List<V> values(Topic<String, V> topic) {
        return readCommitted(topic).stream().map(ConsumerRecord::value).toList();
    }
}
