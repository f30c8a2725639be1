package dev.edapatterns.eventkit.projection;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.edapatterns.eventkit.dlq.DeadLetterQueue;

/**
 * The dead-letter record of an unreadable record: the original key, bytes and headers plus the cause headers of
 * {@link DeadLetterQueue} (original topic/partition/offset, exception, one attempt), so operators browse and redrive
 * it like any other dead letter. Pure.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static ProducerRecord<String, byte[]> of(String deadLetterTopic, ConsumerRecord<String, byte[]> record,
            UnreadableRecord cause, Instant now) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        put(headers, DeadLetterQueue.ORIGINAL_TOPIC, record.topic());
        put(headers, DeadLetterQueue.ORIGINAL_PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterQueue.ORIGINAL_OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterQueue.FIRST_FAILURE_AT, now.toString());
        put(headers, DeadLetterQueue.LAST_FAILURE_AT, now.toString());
        put(headers, DeadLetterQueue.ATTEMPTS, "1");
        Throwable root = cause.getCause() != null ? cause.getCause() : cause;
        put(headers, DeadLetterQueue.EXCEPTION_CLASS, root.getClass().getName());
        put(headers, DeadLetterQueue.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        // same partition number: a key's dead letters stay in the order they failed in
        return new ProducerRecord<>(deadLetterTopic, record.partition(), record.key(), record.value(), headers);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
