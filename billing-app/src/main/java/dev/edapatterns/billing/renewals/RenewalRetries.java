package dev.edapatterns.billing.renewals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.dlq.RetryTopology;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Non-blocking retry of renewals, the design card's retry topics: a failed renewal is written, byte for byte, to the
 * next retry topic ({@code billing.renewals.retry.topics}, the delay after the last {@code _}), after the last one to
 * the dead-letter topic, always to the partition number it came from (so the same member of the group, and the same
 * user's queue, handles it). A record is due again at its timestamp plus the topic's delay ({@link #notBefore}).
 * Failure headers: where it failed first (kept across hops) and the cause, attempt count and time of this attempt.
 * The write is acknowledged by the broker (acks=all, idempotent) before the failed record counts as done.
 */
@Singleton
public class RenewalRetries {

    /** Rewritten on every hop; the others travel on unchanged. */
    private static final Set<String> PER_ATTEMPT = Set.of(DeadLetterQueue.EXCEPTION_CLASS, DeadLetterQueue.EXCEPTION_MESSAGE,
            DeadLetterQueue.ATTEMPTS, DeadLetterQueue.LAST_FAILURE_AT);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final RetryTopology topology;
    private final Map<String, Long> delays = new HashMap<>();
    private final int maxRetries;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;

    RenewalRetries(RenewalRetryTopology topology, KafkaClients clients, Clock clock, BillingConfig config) {
        this.topology = topology.topology();
        this.maxRetries = config.renewals().retry().maxRetries().orElse(this.topology.retryTopics().size());
        this.clock = clock;
        this.topology.retryTopics().forEach(t -> delays.put(t, RetryTopology.delayOf(t)));
        // plain client: each record goes to a topic and partition chosen per record, no channel has a fixed one
        this.producer = new KafkaProducer<>(clients.producer(Map.of()), new StringSerializer(), new ByteArraySerializer());
    }

    /** When a record may be handled (epoch ms): retry topics hold it for their delay after it was written. */
    public long notBefore(ConsumerRecord<?, ?> record) {
        Long delay = delays.get(record.topic());
        return delay == null ? 0 : record.timestamp() + delay;
    }

    /**
     * To the retry topic of this failure (the n-th failure to the n-th topic, the last one reused up to
     * {@code max-retries}), or the DLQ after that or when the retries have taken longer than the timeout.
     */
    void retry(ConsumerRecord<String, byte[]> record, Throwable cause) {
        List<String> retries = topology.retryTopics();
        int failures = attempts(record) + 1;
        boolean timedOut = firstFailure(record).map(first -> clock.instant().isAfter(first.plusMillis(topology.timeoutMillis())))
                .orElse(false);
        send(failures <= maxRetries && !timedOut ? retries.get(Math.min(failures, retries.size()) - 1)
                : topology.deadLetterTopic(), record, cause);
    }

    /** Straight to the DLQ (declined, no card, poison). */
    void deadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
        send(topology.deadLetterTopic(), record, cause);
    }

    private void send(String topic, ConsumerRecord<String, byte[]> record, Throwable cause) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!PER_ATTEMPT.contains(h.key())) {
                headers.add(h);
            }
        }
        String now = clock.instant().toString();
        if (record.headers().lastHeader(DeadLetterQueue.ORIGINAL_TOPIC) == null) {
            add(headers, DeadLetterQueue.ORIGINAL_TOPIC, record.topic());
            add(headers, DeadLetterQueue.ORIGINAL_PARTITION, Integer.toString(record.partition()));
            add(headers, DeadLetterQueue.ORIGINAL_OFFSET, Long.toString(record.offset()));
            add(headers, DeadLetterQueue.FIRST_FAILURE_AT, now);
        }
        int attempts = attempts(record) + 1;
        add(headers, DeadLetterQueue.EXCEPTION_CLASS, cause.getClass().getName());
        add(headers, DeadLetterQueue.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        add(headers, DeadLetterQueue.ATTEMPTS, Integer.toString(attempts));
        add(headers, DeadLetterQueue.LAST_FAILURE_AT, now);
        try {
            producer.send(new ProducerRecord<>(topic, record.partition(), record.key(), record.value(), headers))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("renewal not written to " + topic + ": " + e, e);
        }
    }

    /** Failed attempts before this one (0 on the source, and after a redrive). */
    private static int attempts(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(DeadLetterQueue.ATTEMPTS);
        try {
            return h == null ? 0 : Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static java.util.Optional<Instant> firstFailure(ConsumerRecord<?, ?> record) {
        Header h = record.headers().lastHeader(DeadLetterQueue.FIRST_FAILURE_AT);
        try {
            return h == null ? java.util.Optional.empty()
                    : java.util.Optional.of(Instant.parse(new String(h.value(), StandardCharsets.UTF_8)));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
