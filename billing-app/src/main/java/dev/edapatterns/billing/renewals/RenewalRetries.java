package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.eventkit.dlq.FailureForwarder;
import dev.edapatterns.eventkit.dlq.RetryTopology;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Non-blocking retry of renewals, the design card's retry topics: a failed renewal goes to the next retry topic
 * ({@code billing.renewals.retry.topics}, the delay after the last {@code _}), after the last one to the dead-letter
 * topic. A record is due again at its timestamp plus the topic's delay ({@link #notBefore}). The record is written by
 * event-kit's {@link FailureForwarder}: byte for byte, on the partition number it came from (so the same member of the
 * group, and the same user's queue, handles it), with the cause headers, acknowledged before it counts as done.
 */
@Singleton
public class RenewalRetries {

    private final RetryTopology topology;
    private final Map<String, Long> delays = new HashMap<>();
    private final int maxRetries;
    private final Clock clock;
    private final FailureForwarder forwarder;

    RenewalRetries(RenewalRetryTopology topology, KafkaClients clients, Clock clock, BillingConfig config) {
        this.topology = topology.topology();
        this.maxRetries = config.renewals().retry().maxRetries().orElse(this.topology.retryTopics().size());
        this.clock = clock;
        this.topology.retryTopics().forEach(t -> delays.put(t, RetryTopology.delayOf(t)));
        this.forwarder = new FailureForwarder(clients);
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
        int failures = FailureForwarder.attempts(record) + 1;
        boolean timedOut = FailureForwarder.firstFailure(record)
                .map(first -> clock.instant().isAfter(first.plusMillis(topology.timeoutMillis()))).orElse(false);
        forwarder.forward(failures <= maxRetries && !timedOut ? retries.get(Math.min(failures, retries.size()) - 1)
                : topology.deadLetterTopic(), record, cause, clock.instant());
    }

    /** Straight to the DLQ (declined, no card, poison). */
    void deadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
        forwarder.forward(topology.deadLetterTopic(), record, cause, clock.instant());
    }

    @PreDestroy
    void close() {
        forwarder.close();
    }
}
