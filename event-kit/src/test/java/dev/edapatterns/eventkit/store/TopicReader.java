package dev.edapatterns.eventkit.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.testing.TestKafka;

/** Reads a whole topic as a read_committed consumer sees it now. */
final class TopicReader {

    private TopicReader() {
    }

    static <V> List<V> readCommitted(Topic<String, V> topic) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of(
                "isolation.level", "read_committed")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    values.add(topic.valueDeserializer().deserialize(r.topic(), r.headers(), r.value()));
                }
            }
        }
        return values;
    }
}
