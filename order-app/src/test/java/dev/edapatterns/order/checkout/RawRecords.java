package dev.edapatterns.order.checkout;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.eventkit.testing.TopicRecords;

/** Every record of a topic as stored (key string, value bytes), read with the given isolation level. */
public final class RawRecords {

    private RawRecords() {
    }

    public static List<ConsumerRecord<String, byte[]>> read(String topic, String isolation) {
        return TopicRecords.raw(topic, isolation);
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
