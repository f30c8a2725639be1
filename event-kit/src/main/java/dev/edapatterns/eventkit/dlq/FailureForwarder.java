package dev.edapatterns.eventkit.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Writes a failed record, byte for byte, to its next retry topic or a dead-letter topic, on the partition number it
 * came from (so the same member of the consumer group, and the same key's queue, handles it again), with the cause
 * headers of {@link DeadLetterQueue}: where it failed first (kept across hops) and the cause, attempt count and time of
 * this attempt (rewritten on every hop). The write is acknowledged (acks=all, idempotent) before {@link #forward}
 * returns, so the caller may count the failed record as done. The topic choice (which retry, when the DLQ) is the
 * caller's policy.
 *
 * <p>Not a CDI bean: an app opens one and closes it on shutdown.
 */
public final class FailureForwarder implements AutoCloseable {

    /** Rewritten on every hop; the others travel on unchanged. */
    private static final Set<String> PER_ATTEMPT = Set.of(DeadLetterQueue.EXCEPTION_CLASS, DeadLetterQueue.EXCEPTION_MESSAGE,
            DeadLetterQueue.ATTEMPTS, DeadLetterQueue.LAST_FAILURE_AT);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;

    public FailureForwarder(KafkaClients clients) {
        // plain client: each record goes to a topic and partition chosen per record, no channel has a fixed one
        this.producer = new KafkaProducer<>(clients.producer(Map.of()), new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes {@link #nextHop} of the record to {@code topic} and waits for the broker's acknowledgement. */
    public void forward(String topic, ConsumerRecord<String, byte[]> record, Throwable cause, Instant now) {
        try {
            producer.send(nextHop(topic, record, cause, now)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("failed record not written to " + topic + ": " + e, e);
        }
    }

    /** The record a failed one becomes on {@code topic}: same key, bytes and partition number, the cause headers. */
    static ProducerRecord<String, byte[]> nextHop(String topic, ConsumerRecord<String, byte[]> record, Throwable cause,
            Instant now) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!PER_ATTEMPT.contains(h.key())) {
                headers.add(h);
            }
        }
        if (record.headers().lastHeader(DeadLetterQueue.ORIGINAL_TOPIC) == null) {
            add(headers, DeadLetterQueue.ORIGINAL_TOPIC, record.topic());
            add(headers, DeadLetterQueue.ORIGINAL_PARTITION, Integer.toString(record.partition()));
            add(headers, DeadLetterQueue.ORIGINAL_OFFSET, Long.toString(record.offset()));
            add(headers, DeadLetterQueue.FIRST_FAILURE_AT, now.toString());
        }
        add(headers, DeadLetterQueue.EXCEPTION_CLASS, cause.getClass().getName());
        add(headers, DeadLetterQueue.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        add(headers, DeadLetterQueue.ATTEMPTS, Integer.toString(attempts(record) + 1));
        add(headers, DeadLetterQueue.LAST_FAILURE_AT, now.toString());
        return new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), headers);
    }

    /** Failed attempts before this one (0 on the source topic, and after a redrive). */
    public static int attempts(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(DeadLetterQueue.ATTEMPTS);
        try {
            return h == null ? 0 : Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** When the record failed first, if it failed before. */
    public static Optional<Instant> firstFailure(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(DeadLetterQueue.FIRST_FAILURE_AT);
        try {
            return h == null ? Optional.empty() : Optional.of(Instant.parse(new String(h.value(), StandardCharsets.UTF_8)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
