package dev.edapatterns.eventkit.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Blocking retry (seed pattern 4, "order matters"): a consumer-group member that applies records one at a time, in
 * offset order, and when a record fails holds <em>only that record's partition</em> — it pauses the partition, keeps
 * the record in memory and attempts it again with exponential backoff ({@link BackoffPolicy}) — while the other
 * partitions keep flowing through the same poll loop. Nothing behind the blocked record is applied and no offset past
 * it is committed, so the order of a key's records holds across the block.
 *
 * <p>Why a poll loop of its own and not a SmallRye channel: the channel's default (throttled) commit strategy marks the
 * channel failed once a received record stays un-acknowledged longer than {@code throttled.unprocessed-record-max-age.ms}
 * — which is what a blocked record is, by design — and a stalled channel cannot end an in-flight retry of a revoked
 * partition without acknowledging (= committing past) it. Here the loop never stops polling (backoff waits are timers
 * checked between polls, so {@code max.poll.interval.ms} is never exceeded), blocked records are visible and
 * operable ({@link #blocked()}, {@link #retryNow}, {@link #skip}), and a revoked partition simply forgets its block:
 * the next owner starts at the committed offset, i.e. at the blocked record.
 *
 * <p>Skips are operator decisions recorded durably in {@link SkipDecisions} before the offset moves; every record is
 * checked against them first, so a skipped record that comes again is passed over, never re-blocked.
 *
 * <p>All consumer calls happen on the loop's thread; operator commands are queued to it.
 */
public final class BlockingRetryConsumer<K, V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockingRetryConsumer.class);
    private static final int MAX_ERROR_LENGTH = 500;

    /** The outcome of an operator's "retry now". */
    public record RetryResult(boolean applied, BlockedRecord stillBlocked) {
    }

    public record Stats(long applied, long skippedByDecision, long failedAttempts, long blocks, long assignments,
            Set<Integer> partitions) {
    }

    /** A blocked record with its mutable retry state; mutated on the loop thread, read by {@link #blocked()}. */
    private static final class Blocked {
        final ConsumerRecord<byte[], byte[]> record;
        final Instant since;
        volatile int attempts;
        volatile String lastError;
        volatile boolean permanent;
        volatile Instant lastAttemptAt;
        volatile Instant nextAttemptAt;

        Blocked(ConsumerRecord<byte[], byte[]> record, Instant since) {
            this.record = record;
            this.since = since;
        }
    }

    private final String name;
    private final Topic<K, V> topic;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final BackoffPolicy policy;
    private final RecordHandler<K, V> handler;
    private final KafkaTracing tracing;
    private final SkipDecisions skips;
    private final Clock clock;
    private final Duration pollTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PollLoop<KafkaConsumer<byte[], byte[]>> loop;
    private final Map<TopicPartition, Blocked> blocked = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Consumer<KafkaConsumer<byte[], byte[]>>> commands = new ConcurrentLinkedQueue<>();
    /** loop thread only: offsets of applied records not committed yet */
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong assignments = new AtomicLong();
    private volatile long lastPollNanos = System.nanoTime();

    private BlockingRetryConsumer(Builder<K, V> b) {
        this.name = b.name;
        this.topic = b.topic;
        this.keys = b.topic.keyDeserializer();
        this.values = b.topic.valueDeserializer();
        this.policy = b.policy;
        this.handler = b.handler;
        this.tracing = b.tracing;
        this.skips = b.skips;
        this.clock = b.clock;
        this.pollTimeout = b.pollTimeout;
        Map<String, Object> props = new HashMap<>(b.consumerProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // committed only once applied (or skipped)
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, b.groupId + "-" + b.name);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (b.topic.transactional()) {
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = PollLoop.of("blocking-retry-" + b.name, consumer, c -> run()).onStop(this::failQueuedCommands);
    }

    public static <K, V> Builder<K, V> builder(String name, Topic<K, V> topic) {
        return new Builder<>(name, topic);
    }

    public String name() {
        return name;
    }

    public String topic() {
        return topic.name();
    }

    public BackoffPolicy policy() {
        return policy;
    }

    /** The records holding a partition of this instance now, by partition. */
    public List<BlockedRecord> blocked() {
        return blocked.values().stream().map(this::snapshot)
                .sorted(Comparator.comparing(BlockedRecord::partition)).toList();
    }

    /**
     * Attempts the blocked record at once (e.g. after its cause was fixed), whatever its schedule; completes with the
     * outcome, or exceptionally with {@link NotBlockedException}.
     */
    public CompletableFuture<RetryResult> retryNow(int partition, long offset) {
        return command(c -> {
            Blocked b = blockedAt(partition, offset);
            boolean done = attemptBlocked(c, b);
            return new RetryResult(done, done ? null : snapshot(b));
        });
    }

    /**
     * The operator's skip: records the decision durably, then commits past the record and releases its partition.
     * Completes with the decision, or exceptionally with {@link NotBlockedException}.
     */
    public CompletableFuture<SkipDecision> skip(int partition, long offset, String reason) {
        return command(c -> {
            Blocked b = blockedAt(partition, offset);
            SkipDecision decision = skips.record(new SkipDecision(name, topic.name(), partition, offset, key(b.record),
                    b.attempts, b.lastError, reason, clock.instant()));
            LOG.warnf("%s: skipped %s/%d/%d after %d attempts by operator decision (%s)", name, topic.name(), partition, offset,
                    b.attempts, reason);
            skipped.incrementAndGet();
            release(c, b);
            commit(c);
            return decision;
        });
    }

    public Stats stats() {
        return new Stats(applied.get(), skipped.get(), failedAttempts.get(), blocks.get(), assignments.get(), Set.copyOf(assigned));
    }

    /** How long ago the loop last returned from poll: a blocked record never makes this grow, a stuck handler does. */
    public Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPollNanos);
    }

    public boolean isRunning() {
        return loop.isAlive();
    }

    /** Null while running; why the loop stopped otherwise. */
    public Throwable failure() {
        return loop.failure();
    }

    public BlockingRetryConsumer<K, V> start() {
        loop.start();
        return this;
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(15));
    }

    // --- the loop ----------------------------------------------------------------------------------------------------

    private void run() {
        consumer.subscribe(List.of(topic.name()), new Rebalance());
        while (loop.running()) {
            try {
                runCommands();
                retryDue();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(nextPollTimeout());
                lastPollNanos = System.nanoTime();
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        if (blocked.containsKey(tp) || !applyNew(record)) {
                            break; // the rest of this partition comes again once it is released
                        }
                    }
                }
                commit(consumer);
            } catch (WakeupException e) {
                lastPollNanos = System.nanoTime(); // a command (or close) woke the poll up
            }
        }
        commit(consumer);
    }

    private void failQueuedCommands() {
        for (var command = commands.poll(); command != null; command = commands.poll()) {
            command.accept(null); // completes the waiting caller exceptionally
        }
    }

    /** A new record: passed over if skipped by decision, else applied; false when it blocked its partition. */
    private boolean applyNew(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (skips.isSkipped(name, record.topic(), record.partition(), record.offset())) {
            LOG.infof("%s: %s/%d/%d was skipped by an operator before: passed over", name, record.topic(), record.partition(),
                    record.offset());
            skipped.incrementAndGet();
            done(tp, record);
            return true;
        }
        try {
            handle(record);
            applied.incrementAndGet();
            done(tp, record);
            return true;
        } catch (Exception e) {
            Blocked b = new Blocked(record, clock.instant());
            failed(b, e);
            blocked.put(tp, b);
            blocks.incrementAndGet();
            consumer.pause(List.of(tp));
            // what was fetched behind it is dropped and fetched again on resume; the record itself stays in memory
            consumer.seek(tp, record.offset() + 1);
            LOG.warnf("%s: %s/%d/%d blocks its partition (%s); next attempt %s", name, record.topic(), record.partition(),
                    record.offset(), b.lastError, b.nextAttemptAt == null ? "only on an operator's retry" : "at " + b.nextAttemptAt);
            return false;
        }
    }

    private void retryDue() {
        Instant now = clock.instant();
        for (Blocked b : List.copyOf(blocked.values())) {
            if (b.nextAttemptAt != null && !now.isBefore(b.nextAttemptAt)) {
                attemptBlocked(consumer, b);
            }
        }
    }

    /** One more attempt of a blocked record; true (and the partition released) when it was applied or skipped. */
    private boolean attemptBlocked(KafkaConsumer<byte[], byte[]> c, Blocked b) {
        ConsumerRecord<byte[], byte[]> record = b.record;
        if (skips.isSkipped(name, record.topic(), record.partition(), record.offset())) {
            skipped.incrementAndGet(); // decided by another instance that held it before a rebalance
            release(c, b);
            return true;
        }
        try {
            handle(record);
            applied.incrementAndGet();
            LOG.infof("%s: %s/%d/%d applied after %d failed attempts: partition released", name, record.topic(),
                    record.partition(), record.offset(), b.attempts);
            release(c, b);
            return true;
        } catch (Exception e) {
            failed(b, e);
            LOG.debugf("%s: %s/%d/%d attempt %d failed: %s", name, record.topic(), record.partition(), record.offset(), b.attempts,
                    b.lastError);
            return false;
        }
    }

    /** The handler runs inside a span continuing the record's trace, so what it produces continues it too. */
    private void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        Span span = tracing.startConsumer(name + " handle", record);
        try (Scope scope = span.makeCurrent()) {
            handler.handle(decode(record));
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, describe(e));
            throw e;
        } finally {
            span.end();
        }
    }

    private void failed(Blocked b, Exception e) {
        failedAttempts.incrementAndGet();
        b.attempts++;
        b.lastError = describe(e);
        b.permanent = e instanceof PermanentFailure;
        b.lastAttemptAt = clock.instant();
        b.nextAttemptAt = b.permanent || policy.exhausted(b.attempts) ? null : b.lastAttemptAt.plus(policy.delayAfter(b.attempts));
    }

    private void release(KafkaConsumer<byte[], byte[]> c, Blocked b) {
        TopicPartition tp = new TopicPartition(b.record.topic(), b.record.partition());
        blocked.remove(tp, b);
        done(tp, b.record);
        if (c.assignment().contains(tp)) {
            c.resume(List.of(tp)); // its position is right behind the record (see applyNew)
        }
    }

    private void done(TopicPartition tp, ConsumerRecord<byte[], byte[]> record) {
        pending.put(tp, new OffsetAndMetadata(record.offset() + 1));
    }

    private void commit(KafkaConsumer<byte[], byte[]> c) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            try {
                c.commitSync(pending);
            } catch (WakeupException e) {
                c.commitSync(pending); // a command's wakeup hit the commit instead of the poll: the flag is cleared now
            }
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partitions moved on: their next owner applies these records again (handlers are idempotent)
            LOG.warnf("%s: offsets %s not committed (%s)", name, pending, e.toString());
        }
        pending.clear();
    }

    private Duration nextPollTimeout() {
        Instant now = clock.instant();
        Duration timeout = pollTimeout;
        for (Blocked b : blocked.values()) {
            if (b.nextAttemptAt != null) {
                Duration until = Duration.between(now, b.nextAttemptAt);
                if (until.compareTo(timeout) < 0) {
                    timeout = until.isNegative() ? Duration.ZERO : until;
                }
            }
        }
        return timeout;
    }

    // --- operator commands ---------------------------------------------------------------------------------------------

    private interface Command<T> {
        T run(KafkaConsumer<byte[], byte[]> consumer) throws Exception;
    }

    private <T> CompletableFuture<T> command(Command<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Consumer<KafkaConsumer<byte[], byte[]>> queued = c -> {
            if (c == null) {
                result.completeExceptionally(new IllegalStateException(name + " is not running", loop.failure()));
                return;
            }
            try {
                result.complete(command.run(c));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        };
        commands.add(queued);
        if (!loop.isAlive()) {
            if (commands.remove(queued)) { // nobody would ever run it
                queued.accept(null);
            }
            return result;
        }
        loop.wakeup(); // do not wait for the poll timeout
        return result;
    }

    private void runCommands() {
        for (var command = commands.poll(); command != null; command = commands.poll()) {
            command.accept(consumer);
        }
    }

    private Blocked blockedAt(int partition, long offset) {
        Blocked b = blocked.get(new TopicPartition(topic.name(), partition));
        if (b == null || b.record.offset() != offset) {
            throw new NotBlockedException(topic.name(), partition, offset);
        }
        return b;
    }

    // --- rebalances (called inside poll, on the loop thread) -------------------------------------------------------------

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
            partitions.forEach(tp -> {
                OffsetAndMetadata offset = pending.remove(tp);
                if (offset != null) {
                    mine.put(tp, offset);
                }
            });
            if (!mine.isEmpty()) {
                try {
                    consumer.commitSync(mine);
                } catch (RuntimeException e) {
                    LOG.warnf("%s: offsets %s not committed on revocation (%s)", name, mine, e.toString());
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(pending::remove);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignments.incrementAndGet();
            partitions.forEach(tp -> assigned.add(tp.partition()));
            LOG.infof("%s: assigned %s", name, partitions);
        }

        /** The next owner starts at the committed offset, i.e. at the blocked record: it blocks there (or not) itself. */
        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> {
                assigned.remove(tp.partition());
                Blocked b = blocked.remove(tp);
                if (b != null) {
                    LOG.infof("%s: %s/%d/%d no longer held here (partition revoked)", name, tp.topic(), tp.partition(),
                            b.record.offset());
                }
            });
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------------

    private ConsumerRecord<K, V> decode(ConsumerRecord<byte[], byte[]> r) {
        K key = keys.deserialize(r.topic(), r.headers(), r.key());
        V value;
        try {
            value = values.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            throw new PermanentFailure("unreadable record: " + e.getMessage(), e); // it never reads better
        }
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), key, value, r.headers(), r.leaderEpoch());
    }

    private String key(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Objects.toString(keys.deserialize(r.topic(), r.key()), null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private BlockedRecord snapshot(Blocked b) {
        return new BlockedRecord(b.record.topic(), b.record.partition(), b.record.offset(), key(b.record), b.attempts,
                b.lastError, b.permanent, b.since, b.lastAttemptAt, b.nextAttemptAt);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) + "..." : message;
    }

    /** Builds a consumer; {@link #start()} it once the skip decisions (and whatever the handler reads) are loaded. */
    public static final class Builder<K, V> {
        private final String name;
        private final Topic<K, V> topic;
        private String groupId;
        private BackoffPolicy policy;
        private RecordHandler<K, V> handler;
        private SkipDecisions skips;
        private Map<String, Object> consumerProps = Map.of();
        private Clock clock = Clock.systemUTC();
        private Duration pollTimeout = Duration.ofMillis(200);
        private KafkaTracing tracing = KafkaTracing.noop();

        private Builder(String name, Topic<K, V> topic) {
            this.name = Objects.requireNonNull(name, "name");
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        public Builder<K, V> groupId(String groupId) { this.groupId = groupId; return this; }
        public Builder<K, V> policy(BackoffPolicy policy) { this.policy = policy; return this; }
        public Builder<K, V> handler(RecordHandler<K, V> handler) { this.handler = handler; return this; }
        public Builder<K, V> skipDecisions(SkipDecisions skips) { this.skips = skips; return this; }
        /** Client properties (e.g. {@code KafkaClients.consumer(...)}); group, auto-commit and deserializers are set here. */
        public Builder<K, V> consumerProps(Map<String, Object> props) { this.consumerProps = Map.copyOf(props); return this; }
        public Builder<K, V> clock(Clock clock) { this.clock = clock; return this; }
        public Builder<K, V> pollTimeout(Duration timeout) { this.pollTimeout = timeout; return this; }
        /** Handling continues the trace in the record's headers (see {@link KafkaTracing}); no-op by default. */
        public Builder<K, V> tracing(KafkaTracing tracing) { this.tracing = Objects.requireNonNull(tracing); return this; }

        public BlockingRetryConsumer<K, V> build() {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(skips, "skipDecisions");
            return new BlockingRetryConsumer<>(this);
        }
    }
}
