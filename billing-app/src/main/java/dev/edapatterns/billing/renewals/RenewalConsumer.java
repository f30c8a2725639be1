package dev.edapatterns.billing.renewals;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.metrics.EventKitMetrics;
import dev.edapatterns.eventkit.ordered.KeyOrderedProcessor;
import dev.edapatterns.eventkit.retry.BackoffPolicy;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Consumes {@code billing.renewals} and its retry topics in one group with event-kit's {@link KeyOrderedProcessor},
 * keyed by userId: one user's renewals run one at a time in the order they arrive, different users concurrently
 * ({@code billing.renewals.processor.max-concurrent-users}). Partition N of the source and of every retry topic goes
 * to the same member (equal partition counts, checked by {@link RenewalRetryTopology}; range assignment), so a
 * user's renewal, its retries and its redrives (redriven to the source by key) meet in one queue in one process.
 * Raw bytes: {@link RenewalProcessor} decodes, so a poison record reaches the DLQ byte for byte. A record whose
 * retry/DLQ write failed is tried again (its user waits, others go on) until the write succeeds.
 */
@Singleton
public class RenewalConsumer {

    private static final Logger LOG = Logger.getLogger(RenewalConsumer.class);
    /** Only the retry/DLQ write of a failed renewal can fail a record: try it again soon, without end. */
    private static final BackoffPolicy WRITE_RETRY = BackoffPolicy.infinite(Duration.ofMillis(200), 2, Duration.ofSeconds(10));

    private final KeyOrderedProcessor<String, byte[]> processor;
    private EventKitMetrics.Registration meters;
    private final EventKitMetrics metrics;

    RenewalConsumer(RenewalProcessor renewals, RenewalRetries retries, RenewalRetryTopology topology, BillingConfig config,
            KafkaClients clients, EventKitMetrics metrics) {
        RenewalsConfig.Processor settings = config.renewals().processor();
        this.metrics = metrics;
        this.processor = KeyOrderedProcessor.builder("renewals", new StringDeserializer(), new ByteArrayDeserializer())
                .topics(topology.consumed())
                .groupId(settings.groupId())
                // a redriven renewal is written in a transaction with its redrive record: only committed ones count
                .consumerProps(clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
                .maxConcurrentKeys(settings.maxConcurrentUsers())
                .maxInFlightPerPartition(settings.maxInFlightPerPartition())
                .notBefore(retries::notBefore)
                .retryPolicy(WRITE_RETRY)
                .handler(renewals::process)
                .build();
    }

    /** After the retry topology was verified (an earlier start-up observer). */
    void onStart(@Observes StartupEvent event) {
        meters = metrics.keyOrdered(processor);
        processor.start();
        LOG.infof("Renewals consuming %s", processor.topics());
    }

    void onStop(@Observes ShutdownEvent event) {
        processor.close();
        if (meters != null) {
            meters.close();
        }
    }

    public KeyOrderedProcessor<String, byte[]> processor() {
        return processor;
    }
}
