package dev.edapatterns.billing.ledger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.metrics.EventKitMetrics;
import dev.edapatterns.eventkit.retry.BackoffPolicy;
import dev.edapatterns.eventkit.retry.BlockingRetryConsumer;
import dev.edapatterns.eventkit.retry.SkipDecisions;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The ledger's consumer of {@code billing.charges}: a blocking-retry consumer (event-kit) with {@link LedgerPosting} as
 * its handler and the durable skip decisions of {@code billing.ledger.skips}. It joins its group only once the ledger
 * accounts and the skip decisions are loaded: before that it could neither read an account nor honour a skip.
 */
@Singleton
public class LedgerConsumer {

    /** The logical consumer name in skip decisions: stays valid if the group id changes. */
    public static final String NAME = "ledger";

    private static final Logger LOG = Logger.getLogger(LedgerConsumer.class);

    private final LedgerConfig config;
    private final LedgerPosting posting;
    private final CompactedStore<String, LedgerAccount> accounts;
    private final Stores stores;
    private final KafkaClients clients;
    private final EventKitMetrics metrics;
    private final KafkaTracing tracing;
    private volatile SkipDecisions skips;
    private volatile EventKitMetrics.Registration meters;
    private volatile BlockingRetryConsumer<String, Charge> consumer;

    LedgerConsumer(BillingConfig config, LedgerPosting posting, CompactedStore<String, LedgerAccount> accounts, Stores stores,
            KafkaClients clients, EventKitMetrics metrics, KafkaTracing tracing) {
        this.metrics = metrics;
        this.config = config.ledger();
        this.tracing = tracing;
        this.posting = posting;
        this.accounts = accounts;
        this.stores = stores;
        this.clients = clients;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public BlockingRetryConsumer<String, Charge> consumer() {
        return consumer;
    }

    public BackoffPolicy policy() {
        LedgerConfig.Retry retry = config.retry();
        return new BackoffPolicy(retry.initialDelay(), retry.multiplier(), retry.maxDelay(), retry.maxAttempts());
    }

    /**
     * Stops the consumer and drops everything this component holds in memory (blocked records, skip decisions), then
     * starts afresh from Kafka: what a process restart does to the ledger, without restarting the app.
     */
    public synchronized void restart() {
        restart(() -> {
        });
    }

    /** {@link #restart()}, running {@code whileStopped} when this instance has left the group (tests rewind offsets). */
    synchronized void restart(Runnable whileStopped) {
        stop();
        whileStopped.run();
        start();
    }

    private synchronized void start() {
        SkipDecisions decisions = new SkipDecisions(Topics.BILLING_LEDGER_SKIPS, stores.compacted(Topics.BILLING_LEDGER_SKIPS),
                clients);
        BlockingRetryConsumer<String, Charge> created = BlockingRetryConsumer.builder(NAME, Topics.BILLING_CHARGES)
                .groupId(config.groupId())
                .policy(policy())
                .handler(posting)
                .skipDecisions(decisions)
                .tracing(tracing)
                .consumerProps(clients.consumer(Map.of(
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.maxPollInterval().toMillis(),
                        // a few records per poll: the loop returns to its timers and commands quickly
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50)))
                .build();
        skips = decisions;
        consumer = created;
        meters = metrics.blockingRetry(created);
        CompletableFuture.allOf(accounts.loaded(), decisions.store().loaded()).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "Ledger consumer not started: a store failed");
            } else if (consumer == created) {
                created.start();
                LOG.infof("Ledger consuming %s (group %s, %s)", Topics.BILLING_CHARGES.name(), config.groupId(), policy());
            }
        });
    }

    private synchronized void stop() {
        BlockingRetryConsumer<String, Charge> current = consumer;
        SkipDecisions decisions = skips;
        consumer = null;
        if (meters != null) {
            meters.close();
            meters = null;
        }
        if (current != null) {
            current.close();
        }
        if (decisions != null) {
            decisions.close();
            try {
                stores.close(decisions.store());
            } catch (Exception e) {
                LOG.warnf("Closing the skip decisions store: %s", e.toString());
            }
        }
    }

    /** For readiness: the consumer polls its partitions (a blocked record does not make it unready). */
    boolean isRunning() {
        BlockingRetryConsumer<String, Charge> current = consumer;
        return current != null && current.isRunning();
    }

    /** For the liveness check: why the consumer is not healthy, or null. */
    String problem() {
        BlockingRetryConsumer<String, Charge> current = consumer;
        if (current == null) {
            return "stopped";
        }
        if (current.failure() != null) {
            return "failed: " + current.failure();
        }
        Duration idle = current.sinceLastPoll();
        if (current.isRunning() && idle.compareTo(config.stallTimeout()) > 0) {
            return "no poll for " + idle.toMillis() + " ms (a handler is stuck)";
        }
        return null;
    }
}
