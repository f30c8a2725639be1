package dev.edapatterns.billing.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.metrics.EventKitMetrics;
import dev.edapatterns.eventkit.ordered.KeyOrderedProcessor;
import dev.edapatterns.eventkit.ordered.KeyOrderedProcessor.BlockedKey;
import dev.edapatterns.eventkit.retry.BackoffPolicy;
import dev.edapatterns.eventkit.retry.BlockedRecord;
import dev.edapatterns.eventkit.retry.NotBlockedException;
import dev.edapatterns.eventkit.retry.PermanentFailure;
import dev.edapatterns.eventkit.retry.SkipDecisions;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The ledger's consumer of {@code billing.charges}: event-kit's {@link KeyOrderedProcessor} keyed by userId, with
 * {@link LedgerPosting} as its handler, blocking retry per user and the durable skip decisions of
 * {@code billing.ledger.skips}. A failing charge holds only its user: that user's later charges and refunds wait behind
 * it (their order kept), other users' charges of the same partition are applied meanwhile; the committed offset stays
 * below the oldest blocked or unfinished charge, so after a crash the charges behind it come again and the posting's
 * charge-id check (in the account on {@code billing.ledger}) passes over those already applied. A key stays blocked
 * until its posting succeeds or an operator skips it; {@code max-in-flight-per-partition} records behind a blocked one
 * later the partition pauses (memory stays bounded) until it moves.
 *
 * <p>It joins its group only once the ledger accounts and the skip decisions are loaded: before that it could neither
 * read an account nor honour a skip.
 */
@Singleton
public class LedgerConsumer {

    /** The logical consumer name in skip decisions: stays valid if the group id changes. */
    public static final String NAME = "ledger";

    private static final Logger LOG = Logger.getLogger(LedgerConsumer.class);
    private static final String TOPIC = Topics.BILLING_CHARGES.name();

    /** The outcome of an operator's "retry now": applied, or still blocked (as it is now). */
    public record RetryResult(boolean applied, BlockedRecord stillBlocked) {
    }

    private final LedgerConfig config;
    private final LedgerPosting posting;
    private final CompactedStore<String, LedgerAccount> accounts;
    private final Stores stores;
    private final KafkaClients clients;
    private final EventKitMetrics metrics;
    private final KafkaTracing tracing;
    private final Clock clock = Clock.systemUTC();
    private final LongAdder skippedByDecision = new LongAdder();
    private volatile SkipDecisions skips;
    private volatile EventKitMetrics.Registration meters;
    private volatile KeyOrderedProcessor<String, byte[]> processor;

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

    /** The running processor, or null while stopped. */
    public KeyOrderedProcessor<String, byte[]> processor() {
        return processor;
    }

    public String topic() {
        return TOPIC;
    }

    public BackoffPolicy policy() {
        LedgerConfig.Retry retry = config.retry();
        return new BackoffPolicy(retry.initialDelay(), retry.multiplier(), retry.maxDelay(), retry.maxAttempts());
    }

    /** Records passed over because an operator had skipped them (seen again after a restart or rebalance). */
    public long skippedByDecision() {
        return skippedByDecision.sum();
    }

    /** The users blocked on this instance now, as their blocking records (no charge values: no amounts, no tokens). */
    public List<BlockedRecord> blocked() {
        KeyOrderedProcessor<String, byte[]> current = processor;
        return current == null ? List.of() : current.blocked().stream().map(LedgerConsumer::view).toList();
    }

    /** Attempts the charge blocking its user now, on that user's worker; fails with {@link NotBlockedException}. */
    public CompletableFuture<RetryResult> retryNow(int partition, long offset) {
        KeyOrderedProcessor<String, byte[]> current = running();
        return current.retryNow(keyAt(partition, offset), TOPIC, partition, offset)
                .thenApply(still -> new RetryResult(still.isEmpty(), still.map(LedgerConsumer::view).orElse(null)));
    }

    /**
     * The operator's skip of the charge blocking its user: recorded durably first (on that user's worker, never during
     * an attempt), then the user's later charges go on; fails with {@link NotBlockedException}.
     */
    public CompletableFuture<SkipDecision> skip(int partition, long offset, String reason) {
        KeyOrderedProcessor<String, byte[]> current = running();
        SkipDecisions decisions = skips;
        return current.skip(keyAt(partition, offset), TOPIC, partition, offset, b -> decisions.record(new SkipDecision(NAME,
                b.topic(), b.partition(), b.offset(), b.key(), b.attempts(), b.error(), reason, clock.instant())));
    }

    /**
     * Stops the consumer and drops everything this component holds in memory (blocked keys, skip decisions), then
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
        KeyOrderedProcessor<String, byte[]> created = KeyOrderedProcessor
                .builder(NAME, new StringDeserializer(), new ByteArrayDeserializer())
                .topics(List.of(TOPIC))
                .groupId(config.groupId())
                .consumerProps(clients.consumer(Map.of(
                        ConsumerConfig.CLIENT_ID_CONFIG, config.groupId() + "-" + NAME,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        // charges are written in the dedupe store's transactions: only committed ones are charges
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.maxPollInterval().toMillis())))
                .maxConcurrentKeys(config.maxConcurrentUsers())
                .maxInFlightPerPartition(config.maxInFlightPerPartition())
                .retryPolicy(policy())
                .holdWhenExhausted() // moving on by itself would break the user's order of charges and refunds
                .handler(record -> handle(decisions, record))
                .onAssigned(posting::assigned)
                .build();
        skips = decisions;
        processor = created;
        meters = metrics.keyOrdered(created);
        CompletableFuture.allOf(accounts.loaded(), decisions.store().loaded()).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.errorf(error, "Ledger consumer not started: a store failed");
            } else if (processor == created) {
                created.start();
                LOG.infof("Ledger consuming %s (group %s, %d users at once, %s)", TOPIC, config.groupId(),
                        config.maxConcurrentUsers(), policy());
            }
        });
    }

    private synchronized void stop() {
        KeyOrderedProcessor<String, byte[]> current = processor;
        SkipDecisions decisions = skips;
        processor = null;
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

    /**
     * A charge skipped by an operator before is passed over (it comes again after a restart or rebalance before the
     * commit moved past it); any other is posted inside a span continuing the charge's trace.
     */
    private void handle(SkipDecisions decisions, ConsumerRecord<String, byte[]> record) throws Exception {
        if (decisions.isSkipped(NAME, record.topic(), record.partition(), record.offset())) {
            LOG.infof("%s: %s-%d@%d was skipped by an operator before: passed over", NAME, record.topic(), record.partition(),
                    record.offset());
            skippedByDecision.increment();
            return;
        }
        Span span = tracing.startConsumer(NAME + " handle", record);
        try (Scope scope = span.makeCurrent()) {
            posting.handle(decode(record));
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    private static ConsumerRecord<String, Charge> decode(ConsumerRecord<String, byte[]> r) {
        Charge charge;
        try {
            charge = Topics.BILLING_CHARGES.valueDeserializer().deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            throw new PermanentFailure("unreadable record: " + e.getMessage(), e); // it never reads better
        }
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), r.key(), charge, r.headers(), r.leaderEpoch());
    }

    private KeyOrderedProcessor<String, byte[]> running() {
        KeyOrderedProcessor<String, byte[]> current = processor;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("The ledger consumer is not running.");
        }
        return current;
    }

    /** The user blocked by the charge at that position here. */
    private String keyAt(int partition, long offset) {
        return blocked().stream().filter(b -> b.partition() == partition && b.offset() == offset).map(BlockedRecord::key)
                .findFirst().orElseThrow(() -> new NotBlockedException(TOPIC, partition, offset));
    }

    private static BlockedRecord view(BlockedKey b) {
        return new BlockedRecord(b.topic(), b.partition(), b.offset(), b.key(), b.attempts(), b.error(), b.permanent(),
                b.since(), b.lastAttempt(), b.nextAttempt());
    }

    /** For readiness: the consumer polls its partitions (a blocked user does not make it unready). */
    boolean isRunning() {
        KeyOrderedProcessor<String, byte[]> current = processor;
        return current != null && current.isAlive();
    }

    /** For the liveness check: why the consumer is not healthy, or null. */
    String problem() {
        KeyOrderedProcessor<String, byte[]> current = processor;
        if (current == null) {
            return "stopped";
        }
        if (current.failure() != null) {
            return "failed: " + current.failure();
        }
        Duration idle = current.sinceLastPoll();
        if (current.isAlive() && idle.compareTo(config.stallTimeout()) > 0) {
            return "no poll for " + idle.toMillis() + " ms (the poll loop is stuck)";
        }
        return null;
    }
}
