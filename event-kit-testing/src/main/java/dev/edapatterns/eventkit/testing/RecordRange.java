package dev.edapatterns.eventkit.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads every record between two offsets per partition: the one read loop of the test helpers. */
final class RecordRange {

    private RecordRange() {
    }

    /**
     * Consumer settings for reading a range: a fetch with nothing to return (the partitions already read to their end)
     * is held by the broker for {@code fetch.max.wait.ms}, 500 ms by default, which every read then paid, and so every
     * poll of an Awaitility wait built on one.
     */
    static Map<String, Object> reader(String isolation) {
        return Map.of("isolation.level", isolation, "fetch.min.bytes", 1, "fetch.max.wait.ms", 50);
    }

    /** Assigns {@code from}'s partitions, reads each from its offset up to (excluding) {@code to}, or fails after 30 s. */
    static void read(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
            Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        consumer.assign(from.keySet());
        from.forEach(consumer::seek);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read up to the end offsets " + to);
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                    sink.accept(r);
                }
            }
        }
    }
}
