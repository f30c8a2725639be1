package dev.edapatterns.eventkit.ordered;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.retry.BackoffPolicy;
import dev.edapatterns.eventkit.retry.NotBlockedException;
import dev.edapatterns.eventkit.retry.PermanentFailure;
import dev.edapatterns.eventkit.retry.RecordHandler;

/**
 * Key-ordered concurrent consumption on one {@link PollLoop}: the records of one key are handled one at a time in
 * the order they were polled (offset order within a partition), records of different keys concurrently on a bounded
 * pool of {@code maxConcurrentKeys} workers ({@link KeyedDispatcher}). The consumer never waits for a handler: it keeps
 * polling, so other keys of the same partition flow past a slow or failing one.
 *
 * <p><b>Offsets.</b> Per partition an {@link OffsetTracker} keeps every polled record until it is behind the commit
 * point, which moves only over a contiguous run of done records from the oldest one: the committed offset never
 * passes a record that is not done. After a crash (kill -9) the records after the commit point come again, some
 * of them a second time: handlers must be idempotent.
 *
 * <p><b>Bounded memory.</b> A partition with {@code maxInFlightPerPartition} records pending is paused and resumed
 * once its oldest ones are done; at most that plus one poll ({@code max.poll.records}) is held per partition.
 * Confluent Parallel Consumer instead keeps reading and encodes the done offsets past the oldest unfinished one into
 * the commit metadata; when that map outgrows the metadata it stops the partition until the head finishes. Here
 * nothing past the commit point is encoded: a full partition is simply paused (the others keep flowing) and the
 * records after the commit point are re-read after a restart, so there is no map to fill.
 *
 * <p><b>Rebalances.</b> On revocation the queued records of the revoked partitions are dropped, the loop waits (up
 * to {@code revokeTimeout}) for their running handlers, then commits what is done; the next owner starts there.
 * With several topics the assignor is {@link RangeAssignor}: partition N of every topic goes to the same member, so
 * one key's records on a topic and its retry topics are handled by one process (partition counts must match).
 *
 * <p><b>Failures.</b> A handler that throws is retried by the {@link BackoffPolicy} given (its key waits, holding no
 * thread; other keys go on, and the partition's commit point stays below the failing record), or reported to the
 * {@link FailureListener} and counted done. A {@link PermanentFailure} is never retried by itself: with
 * {@code holdWhenExhausted} its key waits for an operator, else it is reported at once. {@link #blocked()} lists the
 * waiting keys; {@link #retryNow} and {@link #skip} are the operator's levers. They run on the key's own worker, in
 * turn with its attempts, so an operator's command and a scheduled attempt never race.
 *
 * <p><b>Delayed topics.</b> With {@code notBefore}, a record is not handled before that instant (epoch ms; e.g. a
 * retry topic's record timestamp plus its delay): it and the later records of its partition wait, the partition
 * paused, without a thread.
 */
public final class KeyOrderedProcessor<K, V> implements AutoCloseable {

    /** A record given up after its failures (no retry policy, or it is exhausted). */
    @FunctionalInterface
    public interface FailureListener<K, V> {
        void failed(ConsumerRecord<K, V> record, Throwable error, int attempts);
    }

    /**
     * A key whose oldest record failed and waits for its retry (or for an operator: {@code nextAttempt} null); its later
     * records wait behind it. {@code error} is the last failure's message, never the record's value.
     */
    public record BlockedKey(String key, String topic, int partition, long offset, int attempts, String error,
            boolean permanent, Instant since, Instant lastAttempt, Instant nextAttempt) {
    }

    public record Stats(long handled, long failedAttempts, long givenUp, int pendingRecords, int keys, int activeKeys,
            int pausedPartitions, long rebalances) {
    }

    private static final Logger LOG = Logger.getLogger(KeyOrderedProcessor.class);
    private static final int MAX_ERROR_LENGTH = 500;
    /** The delay of a key that waits for an operator: no attempt is scheduled. */
    private static final long HELD = Long.MAX_VALUE / 2;

    /** An operator's command attached to a blocked record: a retry ({@code skip} null) or a skip. */
    private record Command<R>(Function<BlockedKey, R> skip, CompletableFuture<R> result) {
    }

    /** One polled record on its way through the processor. */
    static final class RecordTask<K, V> extends KeyedDispatcher.Task<K> implements OffsetTracker.Positioned {
        final ConsumerRecord<K, V> record;
        final Object partition;
        long notBefore;
        volatile int attempts;
        volatile String lastError;
        volatile boolean permanent;
        volatile long firstFailedAt;
        volatile long lastAttemptAt;
        /** Epoch ms; {@link #HELD} or beyond: none scheduled. */
        volatile long nextAttemptAt;
        /** Attached under the dispatcher's monitor, taken by the worker. */
        volatile Command<?> command;
        /** What {@link #settled} completes the command with (worker thread). */
        Runnable answer;

        RecordTask(ConsumerRecord<K, V> record, Object partition) {
            super(record.key());
            this.record = record;
            this.partition = partition;
        }

        @Override
        public long offset() {
            return record.offset();
        }

        boolean at(String topic, int partition, long offset) {
            return record.partition() == partition && record.offset() == offset && record.topic().equals(topic);
        }

        @Override
        boolean runAgainNow() {
            return command != null;
        }

        @Override
        void settled() {
            Runnable a = answer;
            answer = null;
            if (a != null) {
                a.run();
            }
        }

        /** Dropped (revoked partition, close) with a command attached: nobody runs it any more. */
        void abandoned() {
            Command<?> c = command;
            command = null;
            if (c != null) {
                c.result().completeExceptionally(new IllegalStateException(
                        record.topic() + "-" + record.partition() + "@" + record.offset() + " is no longer held here"));
            }
        }

        BlockedKey snapshot() {
            long next = nextAttemptAt;
            return new BlockedKey(String.valueOf(key), record.topic(), record.partition(), record.offset(), attempts,
                    lastError, permanent, Instant.ofEpochMilli(firstFailedAt), Instant.ofEpochMilli(lastAttemptAt),
                    next >= HELD ? null : Instant.ofEpochMilli(next));
        }
    }

    private final class PartitionState {
        final TopicPartition tp;
        final OffsetTracker<RecordTask<K, V>> tracker = new OffsetTracker<>();
        /** Records not due yet, in offset order; everything after the first one waits too. */
        final ArrayDeque<RecordTask<K, V>> delayed = new ArrayDeque<>();
        boolean paused;

        PartitionState(TopicPartition tp) {
            this.tp = tp;
        }
    }

    private final String name;
    private final List<String> topics;
    private final RecordHandler<K, V> handler;
    private final BackoffPolicy retryPolicy;
    private final boolean holdWhenExhausted;
    private final FailureListener<K, V> failureListener;
    private final java.util.function.Consumer<Collection<TopicPartition>> assignedListener;
    private final ToLongFunction<ConsumerRecord<K, V>> notBefore;
    private final int maxInFlightPerPartition;
    private final Duration pollTimeout;
    private final long commitIntervalNanos;
    private final Duration revokeTimeout;
    private final Duration closeTimeout;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final KeyedDispatcher<K, RecordTask<K, V>> dispatcher;
    private final PollLoop<KafkaConsumer<K, V>> loop;

    /** Poll thread only. */
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private long lastCommitNanos = System.nanoTime();
    private volatile long lastPollNanos = System.nanoTime();

    private final LongAdder handled = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final AtomicInteger rebalances = new AtomicInteger();
    private volatile int pendingRecords;
    private volatile int pausedPartitions;

    private KeyOrderedProcessor(Builder<K, V> b) {
        this.name = b.name;
        this.topics = List.copyOf(b.topics);
        this.handler = Objects.requireNonNull(b.handler, "handler");
        this.retryPolicy = b.retryPolicy;
        this.holdWhenExhausted = b.holdWhenExhausted;
        this.assignedListener = b.assignedListener;
        this.failureListener = b.failureListener != null ? b.failureListener
                : (r, e, n) -> LOG.errorf(e, "%s: %s-%d@%d given up after %d attempt(s)", name, r.topic(), r.partition(),
                        r.offset(), n);
        this.notBefore = b.notBefore;
        this.maxInFlightPerPartition = b.maxInFlightPerPartition;
        this.pollTimeout = b.pollTimeout;
        this.commitIntervalNanos = b.commitInterval.toNanos();
        this.revokeTimeout = b.revokeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.workers = Executors.newFixedThreadPool(b.maxConcurrentKeys, daemons(name + "-worker-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons(name + "-retry-timer-"));
        this.dispatcher = new KeyedDispatcher<>(b.maxConcurrentKeys, workers, timer, this::handle);
        Map<String, Object> props = new HashMap<>(b.consumerProps);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Objects.requireNonNull(b.groupId, "groupId"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // committed only up to what is done
        if (topics.size() > 1) {
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        }
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, b.keyDeserializer, b.valueDeserializer);
        this.loop = PollLoop.of(name, consumer, this::run);
    }

    public static <K, V> Builder<K, V> builder(String name, Deserializer<K> keys, Deserializer<V> values) {
        return new Builder<>(name, keys, values);
    }

    public KeyOrderedProcessor<K, V> start() {
        loop.start();
        return this;
    }

    public String name() {
        return name;
    }

    public List<String> topics() {
        return topics;
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    public Throwable failure() {
        return loop.failure();
    }

    public Stats stats() {
        return new Stats(handled.sum(), failedAttempts.sum(), givenUp.sum(), pendingRecords, dispatcher.keys(),
                dispatcher.activeKeys(), pausedPartitions, rebalances.get());
    }

    /**
     * Keys whose oldest record failed and is held for a retry (with a retry policy), also while it is being attempted
     * again; by topic, partition and offset.
     */
    public List<BlockedKey> blocked() {
        List<BlockedKey> out = new ArrayList<>();
        dispatcher.heads().values().forEach(t -> {
            if (t.attempts > 0 && t.state != KeyedDispatcher.Task.DONE) {
                out.add(t.snapshot());
            }
        });
        out.sort(java.util.Comparator.comparing(BlockedKey::topic).thenComparingInt(BlockedKey::partition)
                .thenComparingLong(BlockedKey::offset));
        return out;
    }

    /** How long ago the poll loop last returned from poll: a blocked key or a slow handler never makes this grow. */
    public Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPollNanos);
    }

    /**
     * An operator's "retry now" of the record blocking {@code key} at that position, on the key's worker: completes
     * with empty once it was handled, or with the key's state when it failed again; exceptionally with
     * {@link NotBlockedException} when no record of the key is blocked there.
     */
    public CompletableFuture<Optional<BlockedKey>> retryNow(K key, String topic, int partition, long offset) {
        return command(key, topic, partition, offset, null);
    }

    /**
     * An operator's skip of the record blocking {@code key} at that position, on the key's worker (never during an
     * attempt of it): {@code decision} runs first (e.g. records the skip durably, so a redelivery honours it) and its
     * result completes the future; then the record counts as done and the key's later records run. If
     * {@code decision} throws, the record stays blocked and the future fails. Exceptionally with
     * {@link NotBlockedException} when no record of the key is blocked there (e.g. it was handled meanwhile).
     */
    public <R> CompletableFuture<R> skip(K key, String topic, int partition, long offset, Function<BlockedKey, R> decision) {
        return command(key, topic, partition, offset, Objects.requireNonNull(decision));
    }

    private <R> CompletableFuture<R> command(K key, String topic, int partition, long offset, Function<BlockedKey, R> skip) {
        CompletableFuture<R> result = new CompletableFuture<>();
        Command<R> command = new Command<>(skip, result);
        boolean attached = dispatcher.wakeNow(key, t -> {
            if (t.attempts == 0 || !t.at(topic, partition, offset) || t.command != null) {
                return false; // not failed yet, another record, or another command is on its way
            }
            t.command = command;
            return true;
        });
        if (!attached) {
            result.completeExceptionally(new NotBlockedException(topic, partition, offset));
        }
        return result;
    }

    /** Runs a blocked key's record again now; false if the key is not blocked. */
    public boolean retryNow(K key) {
        return dispatcher.wakeNow(key);
    }

    /**
     * Passes over a blocked key's record (an operator's decision; the caller records it durably if a redelivery must
     * honour it): it counts as done, so the commit point may pass it, and the key's later records run. False if that
     * record is not the one blocking the key.
     */
    public boolean skip(K key, String topic, int partition, long offset) {
        return dispatcher.skipHead(key, t -> t.record.partition() == partition && t.record.offset() == offset
                && t.record.topic().equals(topic));
    }

    @Override
    public void close() {
        loop.close(closeTimeout.plusSeconds(5));
        workers.shutdownNow();
        timer.shutdownNow();
    }

    // --- workers -------------------------------------------------------------------------------------------------------

    private long handle(RecordTask<K, V> task) {
        Command<?> command = task.command;
        task.command = null;
        if (command != null && command.skip() != null) {
            return skip(task, command);
        }
        try {
            handler.handle(task.record);
            handled.increment();
            if (task.attempts > 0) {
                LOG.infof("%s: %s-%d@%d handled after %d failed attempt(s): key %s released", name, task.record.topic(),
                        task.record.partition(), task.record.offset(), task.attempts, task.key);
            }
            answer(task, command, Optional.empty());
            return KeyedDispatcher.Work.DONE;
        } catch (Throwable e) {
            long now = System.currentTimeMillis();
            if (task.attempts == 0) {
                task.firstFailedAt = now;
            }
            task.attempts++;
            task.lastError = describe(e);
            task.permanent = e instanceof PermanentFailure;
            task.lastAttemptAt = now;
            failedAttempts.increment();
            boolean exhausted = task.permanent || retryPolicy == null || retryPolicy.exhausted(task.attempts);
            if (retryPolicy != null && (holdWhenExhausted || !exhausted)) {
                // exhausted (or permanent) and held: the key waits for an operator (retryNow or skip), however long
                long delay = exhausted ? HELD : retryPolicy.delayAfter(task.attempts).toMillis();
                task.nextAttemptAt = now + delay;
                if (task.attempts == 1) {
                    LOG.warnf("%s: %s-%d@%d blocks key %s (%s); next attempt %s", name, task.record.topic(),
                            task.record.partition(), task.record.offset(), task.key, task.lastError,
                            exhausted ? "only on an operator's retry" : "in " + delay + " ms");
                }
                answer(task, command, Optional.of(task.snapshot()));
                return delay;
            }
            givenUp.increment();
            failureListener.failed(task.record, e, task.attempts);
            answer(task, command, Optional.empty());
            return KeyedDispatcher.Work.DONE;
        }
    }

    /** The operator's skip: the decision first, then the record counts as done; if the decision fails it stays held. */
    private long skip(RecordTask<K, V> task, Command<?> command) {
        try {
            Object decided = command.skip().apply(task.snapshot());
            LOG.warnf("%s: %s-%d@%d skipped by an operator after %d failed attempt(s): key %s released", name,
                    task.record.topic(), task.record.partition(), task.record.offset(), task.attempts, task.key);
            answer(task, command, decided);
            return KeyedDispatcher.Work.DONE;
        } catch (RuntimeException e) {
            task.answer = () -> command.result().completeExceptionally(e);
            return Math.max(0, task.nextAttemptAt - System.currentTimeMillis()); // its schedule, as before the command
        }
    }

    /** Completes the command once the dispatcher recorded the outcome ({@link RecordTask#settled}): a read sees it. */
    @SuppressWarnings("unchecked")
    private static void answer(RecordTask<?, ?> task, Command<?> command, Object value) {
        if (command != null) {
            CompletableFuture<Object> result = (CompletableFuture<Object>) command.result();
            task.answer = () -> result.complete(value);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) + "..." : message;
    }

    // --- the poll loop -------------------------------------------------------------------------------------------------

    private void run(KafkaConsumer<K, V> consumer) {
        consumer.subscribe(topics, new Rebalance(consumer));
        try {
            while (loop.running()) {
                ConsumerRecords<K, V> records;
                try {
                    records = consumer.poll(nextPollTimeout());
                    lastPollNanos = System.nanoTime();
                } catch (WakeupException e) {
                    if (!loop.running()) {
                        break;
                    }
                    continue;
                }
                long now = System.currentTimeMillis();
                for (TopicPartition tp : records.partitions()) {
                    PartitionState ps = partitions.get(tp);
                    if (ps != null) {
                        for (ConsumerRecord<K, V> r : records.records(tp)) {
                            accept(ps, r, now);
                        }
                    }
                }
                housekeeping(consumer, now);
                if (System.nanoTime() - lastCommitNanos >= commitIntervalNanos) {
                    commit(consumer, partitions.values(), false);
                }
            }
        } finally {
            shutdown(consumer);
        }
    }

    private void accept(PartitionState ps, ConsumerRecord<K, V> record, long now) {
        RecordTask<K, V> task = new RecordTask<>(record, ps);
        ps.tracker.add(task);
        task.notBefore = notBefore == null ? 0 : notBefore.applyAsLong(record);
        if (!ps.delayed.isEmpty() || task.notBefore > now) {
            ps.delayed.addLast(task);
        } else {
            dispatcher.submit(task);
        }
    }

    /** Releases due records, moves commit points, pauses full (or waiting) partitions and resumes the others. */
    private void housekeeping(KafkaConsumer<K, V> consumer, long now) {
        int pending = 0;
        int paused = 0;
        for (PartitionState ps : partitions.values()) {
            RecordTask<K, V> head;
            while ((head = ps.delayed.peekFirst()) != null && head.notBefore <= now) {
                dispatcher.submit(ps.delayed.pollFirst());
            }
            int n = ps.tracker.advance();
            pending += n;
            boolean hold = n >= maxInFlightPerPartition || !ps.delayed.isEmpty();
            if (hold != ps.paused) {
                if (hold) {
                    consumer.pause(List.of(ps.tp));
                } else {
                    consumer.resume(List.of(ps.tp));
                }
                ps.paused = hold;
            }
            paused += ps.paused ? 1 : 0;
        }
        pendingRecords = pending;
        pausedPartitions = paused;
    }

    private Duration nextPollTimeout() {
        long wait = pollTimeout.toMillis();
        long now = System.currentTimeMillis();
        for (PartitionState ps : partitions.values()) {
            RecordTask<K, V> head = ps.delayed.peekFirst();
            if (head != null) {
                wait = Math.min(wait, Math.max(0, head.notBefore - now));
            }
        }
        return Duration.ofMillis(wait);
    }

    private void commit(KafkaConsumer<K, V> consumer, Collection<PartitionState> which, boolean sync) {
        lastCommitNanos = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = null;
        for (PartitionState ps : which) {
            ps.tracker.advance();
            long offset = ps.tracker.uncommitted();
            if (offset >= 0) {
                if (offsets == null) {
                    offsets = new HashMap<>();
                }
                offsets.put(ps.tp, new OffsetAndMetadata(offset));
            }
        }
        if (offsets == null) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets);
                markCommitted(offsets, which);
            } catch (RuntimeException e) {
                LOG.warnf("%s: offsets %s not committed (%s); they are read again", name, offsets, e.toString());
            }
        } else {
            Map<TopicPartition, OffsetAndMetadata> sent = offsets;
            consumer.commitAsync(sent, (done, e) -> {
                if (e == null) {
                    markCommitted(done, partitions.values()); // on the poll thread (inside poll)
                } else {
                    LOG.debugf("%s: commit of %s failed (%s); the next one carries it", name, sent, e.toString());
                }
            });
        }
    }

    private void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets, Collection<PartitionState> states) {
        for (PartitionState ps : states) {
            OffsetAndMetadata o = offsets.get(ps.tp);
            if (o != null) {
                ps.tracker.committed(o.offset());
            }
        }
    }

    /** Drops what waits, lets running handlers finish (bounded), commits what is done. */
    private void release(KafkaConsumer<K, V> consumer, Collection<PartitionState> states, Duration timeout, boolean commit) {
        Set<Object> gone = new HashSet<>(states);
        dispatcher.drop(t -> gone.contains(t.partition)).forEach(RecordTask::abandoned);
        for (PartitionState ps : states) {
            ps.delayed.forEach(t -> t.state = KeyedDispatcher.Task.DROPPED);
            ps.delayed.clear();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!states.stream().allMatch(ps -> ps.tracker.quiet())) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("%s: handlers of %s still running after %s; their records are read again by the next owner",
                        name, states.stream().map(ps -> ps.tp).toList(), timeout);
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a rebalance or shutdown only, never per record
        }
        if (commit) {
            commit(consumer, states, true);
        }
    }

    private void shutdown(KafkaConsumer<K, V> consumer) {
        dispatcher.close().forEach(RecordTask::abandoned);
        try {
            release(consumer, new ArrayList<>(partitions.values()), closeTimeout, true);
        } catch (RuntimeException e) {
            LOG.debugf(e, "%s: final commit", name);
        }
        partitions.clear();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<K, V> consumer;

        Rebalance(KafkaConsumer<K, V> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            release(consumer, remove(revoked), revokeTimeout, true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            release(consumer, remove(lost), Duration.ZERO, false); // another member owns them already: commit nothing
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            rebalances.incrementAndGet();
            assigned.forEach(tp -> partitions.computeIfAbsent(tp, PartitionState::new));
            assignedListener.accept(assigned);
            LOG.debugf("%s: assigned %s", name, assigned);
        }

        private List<PartitionState> remove(Collection<TopicPartition> tps) {
            List<PartitionState> out = new ArrayList<>();
            tps.forEach(tp -> {
                PartitionState ps = partitions.remove(tp);
                if (ps != null) {
                    out.add(ps);
                }
            });
            return out;
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder<K, V> {
        private final String name;
        private final Deserializer<K> keyDeserializer;
        private final Deserializer<V> valueDeserializer;
        private List<String> topics = List.of();
        private String groupId;
        private Map<String, Object> consumerProps = Map.of();
        private RecordHandler<K, V> handler;
        private BackoffPolicy retryPolicy;
        private boolean holdWhenExhausted;
        private FailureListener<K, V> failureListener;
        private java.util.function.Consumer<Collection<TopicPartition>> assignedListener = assigned -> { };
        private ToLongFunction<ConsumerRecord<K, V>> notBefore;
        private int maxConcurrentKeys = 16;
        private int maxInFlightPerPartition = 1000;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration commitInterval = Duration.ofMillis(100);
        private Duration revokeTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder(String name, Deserializer<K> keys, Deserializer<V> values) {
            this.name = Objects.requireNonNull(name);
            this.keyDeserializer = Objects.requireNonNull(keys);
            this.valueDeserializer = Objects.requireNonNull(values);
        }

        /** The topics; with several, partition N of each goes to the same member (equal partition counts). */
        public Builder<K, V> topics(List<String> topics) { this.topics = List.copyOf(topics); return this; }
        public Builder<K, V> groupId(String groupId) { this.groupId = groupId; return this; }
        /** Client properties (e.g. {@code KafkaClients.consumer(...)}); group and auto-commit are set here. */
        public Builder<K, V> consumerProps(Map<String, Object> props) { this.consumerProps = Map.copyOf(props); return this; }
        /** Must be idempotent: a record after the commit point comes again after a crash or a rebalance. */
        public Builder<K, V> handler(RecordHandler<K, V> handler) { this.handler = handler; return this; }
        /** A failing record is retried by this policy, its key waiting; without one it is reported at once. */
        public Builder<K, V> retryPolicy(BackoffPolicy policy) { this.retryPolicy = policy; return this; }
        /**
         * With a retry policy: once it is exhausted the key keeps waiting for an operator ({@link #retryNow},
         * {@link #skip}) instead of giving the record up (blocking retry, where moving on would break the key's order).
         */
        public Builder<K, V> holdWhenExhausted() { this.holdWhenExhausted = true; return this; }
        /** Told about a record given up (default: an error log line); it counts as done. */
        public Builder<K, V> onFailure(FailureListener<K, V> listener) { this.failureListener = listener; return this; }
        /**
         * Told on the poll thread, before any record of them is handled, which partitions this member was just given
         * (keep it short): e.g. to read what a previous owner wrote once per partition rather than before every record.
         */
        public Builder<K, V> onAssigned(java.util.function.Consumer<Collection<TopicPartition>> listener) {
            this.assignedListener = Objects.requireNonNull(listener);
            return this;
        }
        /** The earliest time (epoch ms) a record may be handled; 0 or less: at once. */
        public Builder<K, V> notBefore(ToLongFunction<ConsumerRecord<K, V>> notBefore) { this.notBefore = notBefore; return this; }
        /** Keys handled at the same time (= worker threads). */
        public Builder<K, V> maxConcurrentKeys(int n) { this.maxConcurrentKeys = positive(n); return this; }
        /** Records of one partition polled and not yet committable before the partition is paused. */
        public Builder<K, V> maxInFlightPerPartition(int n) { this.maxInFlightPerPartition = positive(n); return this; }
        public Builder<K, V> pollTimeout(Duration d) { this.pollTimeout = d; return this; }
        /** How often done offsets are committed (asynchronously; synchronously on revoke and close). */
        public Builder<K, V> commitInterval(Duration d) { this.commitInterval = d; return this; }
        /** How long a revocation waits for the running handlers of the revoked partitions. */
        public Builder<K, V> revokeTimeout(Duration d) { this.revokeTimeout = d; return this; }
        public Builder<K, V> closeTimeout(Duration d) { this.closeTimeout = d; return this; }

        public KeyOrderedProcessor<K, V> build() {
            if (topics.isEmpty()) {
                throw new IllegalArgumentException("no topics");
            }
            return new KeyOrderedProcessor<>(this);
        }

        private static int positive(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("must be >= 1: " + n);
            }
            return n;
        }
    }
}
