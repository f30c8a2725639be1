package dev.edapatterns.eventkit.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.kafka.TopicPartitions;

/**
 * An in-memory key-value view of a compacted topic (seed pattern 3). At start it assigns every partition (no
 * consumer group: every instance holds the whole topic), replays from the beginning up to the end offsets taken
 * at start, then reports {@link #isLoaded()} and keeps following the topic. Tombstones delete. Records it cannot
 * deserialize are counted and skipped, never fatal. Reads are lock-free from any thread.
 *
 * <p>Reads with {@code read_committed}: a store topic written in transactions (the atomic store) never shows
 * an aborted value.
 */
public final class CompactedStore<K, V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompactedStore.class);
    /** Largest initial size of the map: beyond it, a topic full of not yet compacted records would waste memory. */
    private static final int MAX_PRESIZE = 4_000_000;
    private static final Object REPLAY_END = new Object();

    private final String topic;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    /** Replaced once, while still empty, by a map sized for the initial replay (saves its rehashing). */
    private volatile Map<K, V> entries = new ConcurrentHashMap<>();
    private final List<ChangeListener<K, V>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Duration> loaded = new CompletableFuture<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    /** caughtUp() requests not yet picked up by the store thread */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> barrierRequests = new ConcurrentLinkedQueue<>();
    /** whenVisible() callers by key, completed by the change that shows what they wait for */
    private final Map<K, List<Waiter<V>>> waiters = new ConcurrentHashMap<>();
    /** store thread only: requests with the end offsets they wait for */
    private final List<Barrier> barriers = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Assigns every partition itself (no group): every instance holds the whole topic. */
    private final PollLoop<KafkaConsumer<byte[], byte[]>> loop;

    private CompactedStore(String topic, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            Map<String, Object> consumerProps, List<ChangeListener<K, V>> initialListeners) {
        this.topic = topic;
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.listeners.addAll(initialListeners);
        Map<String, Object> props = new HashMap<>(consumerProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "store-" + topic);
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = PollLoop.of("compacted-store-" + topic, consumer, c -> run()).onStop(this::stopped);
    }

    public static <K, V> Builder<K, V> builder(Topic<K, V> topic) {
        return new Builder<>(topic.name(), topic.keyDeserializer(), topic.valueDeserializer());
    }

    public static <K, V> Builder<K, V> builder(String topic, Deserializer<K> keys, Deserializer<V> values) {
        return new Builder<>(topic, keys, values);
    }

    public String topic() {
        return topic;
    }

    public Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** An immutable copy of the current content. */
    public Map<K, V> snapshot() {
        return Map.copyOf(entries);
    }

    /**
     * The current values as a live, unmodifiable view, for a pass over a large store without copying it (a copy of
     * 300,000 entries costs more than the pass): iteration is weakly consistent, it sees some changes made meanwhile.
     */
    public Collection<V> values() {
        return Collections.unmodifiableCollection(entries.values());
    }

    public int size() {
        return entries.size();
    }

    public boolean isLoaded() {
        return loaded.isDone() && !loaded.isCompletedExceptionally();
    }

    /** Waits until the initial replay is done; false on timeout. Throws if the store failed. */
    public boolean awaitLoaded(Duration timeout) {
        try {
            loaded.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Store of " + topic + " failed", e.getCause());
        }
    }

    /** Completes when the initial replay is done. */
    public CompletableFuture<Duration> loaded() {
        return loaded.copy();
    }

    /**
     * Catch up with everyone: completes once the store has applied every record committed on its topic when this was
     * called (it asks the broker for the end offsets, then waits for the replay to pass them). For reading what others
     * wrote so far (e.g. a partition's previous owner); to see one's own write, {@link #whenVisible} waits for exactly
     * that and costs no broker round trip.
     */
    public CompletableFuture<Void> caughtUp() {
        CompletableFuture<Void> request = new CompletableFuture<>();
        if (loop.failure() != null) {
            request.completeExceptionally(new IllegalStateException("Store of " + topic + " failed", loop.failure()));
            return request;
        }
        barrierRequests.add(request);
        if (!loop.isAlive() && barrierRequests.remove(request)) {
            // closed (or died): nobody would ever serve the request
            request.completeExceptionally(new IllegalStateException("Store of " + topic + " is closed", loop.failure()));
        } else {
            loop.wakeup(); // do not wait for the poll timeout
        }
        return request;
    }

    /**
     * Read-your-writes for one key: completes with the key's value once it satisfies {@code visible} (at once if it
     * already does; {@code visible} also sees null, i.e. absent). A writer that knows what it wrote waits for exactly
     * that, not for the whole topic: e.g. an atomic store's command id among the applied ones. Callers bound the
     * wait ({@code orTimeout}, {@code get(timeout)}); a completed or timed-out wait is forgotten.
     */
    public CompletableFuture<V> whenVisible(K key, Predicate<? super V> visible) {
        Waiter<V> waiter = new Waiter<>(visible, new CompletableFuture<>());
        waiters.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
        waiter.result.whenComplete((v, e) -> waiters.computeIfPresent(key, (k, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        }));
        if (loop.failure() != null || !loop.running()) {
            waiter.result.completeExceptionally(new IllegalStateException("Store of " + topic + " is "
                    + (loop.failure() != null ? "failed" : "closed"), loop.failure()));
        } else {
            waiter.offer(entries.get(key)); // registered first: a change racing with this check is seen by one of both
        }
        return waiter.result;
    }

    /** Someone waiting for a key to show a value. */
    private record Waiter<V>(Predicate<? super V> visible, CompletableFuture<V> result) {
        void offer(V value) {
            try {
                if (visible.test(value)) {
                    result.complete(value);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** Listeners added after start see changes from then on. */
    public void addListener(ChangeListener<K, V> listener) {
        listeners.add(listener);
    }

    /** Null while running; the cause when the store thread died (then it is not ready either). */
    public Throwable failure() {
        return loop.failure();
    }

    public StoreStats stats() {
        long totalLag = lag.values().stream().mapToLong(Long::longValue).sum();
        return new StoreStats(topic, records.get(), skipped.get(), entries.size(), totalLag,
                isLoaded() ? Optional.of(loaded.join()) : Optional.empty());
    }

    @Override
    public void close() {
        loop.close(Duration.ofSeconds(10));
    }

    private CompactedStore<K, V> start() {
        loop.start();
        return this;
    }

    private void run() throws InterruptedException {
        long startNanos = System.nanoTime();
        List<TopicPartition> partitions = null;
        Map<TopicPartition, Long> end = null;
        while (end == null) {
            try {
                partitions = TopicPartitions.awaitAll(consumer, topic, loop::running);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                // The target of the initial replay: the end (last stable offset, read_committed) as of now.
                end = new HashMap<>(consumer.endOffsets(partitions));
            } catch (WakeupException e) {
                if (!loop.running()) {
                    return;
                }
                // a caughtUp() call during start: it is served once the partitions are known
            }
        }
        presize(partitions, end);
        initialReplay(partitions, end);
        if (!loop.running()) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.infof("Store of %s loaded: %d entries from %d records (%d skipped) in %d ms", topic, entries.size(),
                records.get(), skipped.get(), took.toMillis());
        loaded.complete(took);
        while (loop.running()) {
            try {
                takeBarrierRequests(partitions);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record, false);
                }
                updateLag(partitions);
                barriers.removeIf(b -> b.reached(consumer));
            } catch (WakeupException e) {
                // caughtUp() woke the poll up (or close(): then running is false)
            } catch (RetriableException e) {
                // e.g. endOffsets timed out while the broker restarts: the store keeps serving what it has and
                // tries again; pending caughtUp() calls stay queued. Escaping, it would stop the store for good
                // over a broker outage the clients ride out: readiness DOWN, writers waiting on caughtUp() forever.
                LOG.warnf("Store of %s: %s; retrying", topic, e.toString());
            }
        }
    }

    /** On the loop's thread once it stopped: nobody will serve the waiting callers any more. */
    private void stopped() {
        Throwable failure = loop.failure();
        if (failure != null) {
            loaded.completeExceptionally(failure);
        }
        Throwable cause = failure != null ? failure : new IllegalStateException("Store of " + topic + " is closed");
        barriers.forEach(b -> b.requests.forEach(r -> r.completeExceptionally(cause)));
        barrierRequests.forEach(r -> r.completeExceptionally(cause));
        waiters.values().forEach(list -> list.forEach(w -> w.result.completeExceptionally(cause)));
    }

    /** Sizes the map for the records up to the replay's end (an upper bound of the keys; capped). */
    private void presize(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> begin;
        try {
            begin = consumer.beginningOffsets(partitions);
        } catch (WakeupException e) { // a caughtUp() call: the map just grows as it goes
            return;
        }
        long records = end.entrySet().stream().mapToLong(e -> e.getValue() - begin.getOrDefault(e.getKey(), 0L)).sum();
        if (records > 1024 && entries.isEmpty()) {
            entries = new ConcurrentHashMap<>((int) Math.min(records, MAX_PRESIZE));
        }
    }

    /**
     * The initial replay up to {@code end}, pipelined: this thread fetches while applier threads decode and apply
     * what was fetched before. Each partition goes to one applier, in order, so per-key order is kept. A store
     * with change listeners has one applier (listeners see one change at a time, as afterwards); one without
     * listeners has up to two. caughtUp() requests wait for the replay's end.
     */
    private void initialReplay(List<TopicPartition> partitions, Map<TopicPartition, Long> end) throws InterruptedException {
        int n = listeners.isEmpty() ? Math.max(1, Math.min(Math.min(2, partitions.size()), Runtime.getRuntime().availableProcessors())) : 1;
        List<Applier> appliers = new ArrayList<>();
        Map<TopicPartition, Applier> byPartition = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Applier applier = new Applier("compacted-store-load-" + topic + (n > 1 ? "-" + i : ""));
            appliers.add(applier);
            applier.start();
        }
        for (int i = 0; i < partitions.size(); i++) {
            byPartition.put(partitions.get(i), appliers.get(i % n));
        }
        try {
            while (loop.running()) {
                try {
                    if (caughtUp(end)) {
                        break;
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    for (TopicPartition tp : batch.partitions()) {
                        byPartition.get(tp).hand(batch.records(tp));
                    }
                    updateLag(partitions);
                } catch (WakeupException e) {
                    // caughtUp() during the replay: served once it is done (or close(): then running is false)
                }
                appliers.forEach(Applier::failIfDead);
            }
        } finally {
            for (Applier applier : appliers) {
                applier.finish();
            }
        }
        appliers.forEach(Applier::rethrow);
    }

    /** One stage of the initial replay: decodes and applies the records handed to it, in the order handed. */
    private final class Applier extends Thread {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
        private volatile Throwable failure;

        Applier(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                for (Object records = queue.take(); records != REPLAY_END; records = queue.take()) {
                    @SuppressWarnings("unchecked")
                    List<ConsumerRecord<byte[], byte[]>> list = (List<ConsumerRecord<byte[], byte[]>>) records;
                    for (ConsumerRecord<byte[], byte[]> record : list) {
                        apply(record, true);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        void hand(List<ConsumerRecord<byte[], byte[]>> records) throws InterruptedException {
            while (!queue.offer(records, 100, TimeUnit.MILLISECONDS)) {
                failIfDead();
            }
        }

        void failIfDead() {
            rethrow();
            if (!isAlive()) {
                throw new IllegalStateException("initial replay thread " + getName() + " died");
            }
        }

        void rethrow() {
            if (failure != null) {
                throw new IllegalStateException("initial replay failed", failure);
            }
        }

        /** Lets it apply what it was handed, then stop; waits for that. */
        void finish() throws InterruptedException {
            while (isAlive() && !queue.offer(REPLAY_END, 100, TimeUnit.MILLISECONDS)) {
                // still busy with earlier records
            }
            join();
        }
    }

    private void takeBarrierRequests(List<TopicPartition> partitions) {
        if (barrierRequests.isEmpty()) {
            return;
        }
        // taken off the queue only once the end offsets are known: the wakeup of a caughtUp() call may interrupt
        // endOffsets itself, and the request must then survive for the next round
        List<CompletableFuture<Void>> requests = List.copyOf(barrierRequests);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        barrierRequests.removeAll(requests);
        // one end-offsets request serves every caller that asked before it
        barriers.add(new Barrier(end, requests));
    }

    /** Callers of caughtUp() waiting until the store's position passes these end offsets. */
    private record Barrier(Map<TopicPartition, Long> end, List<CompletableFuture<Void>> requests) {
        boolean reached(KafkaConsumer<?, ?> consumer) {
            end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            if (end.isEmpty()) {
                requests.forEach(r -> r.complete(null));
                return true;
            }
            return false;
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return end.isEmpty();
    }

    private void updateLag(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            OptionalLong l = consumer.currentLag(tp);
            if (l.isPresent()) {
                lag.put(tp, l.getAsLong());
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record, boolean loading) {
        records.incrementAndGet();
        K key;
        V value;
        try {
            key = keyDeserializer.deserialize(topic, record.headers(), record.key());
            value = valueDeserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            skipped.incrementAndGet();
            LOG.warnf("Store of %s skipped undeserializable record at partition %d offset %d: %s", topic, record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (key == null) {
            skipped.incrementAndGet();
            return;
        }
        V old = value == null ? entries.remove(key) : entries.put(key, value);
        if (old == null && value == null) {
            return;
        }
        if (!waiters.isEmpty()) {
            List<Waiter<V>> waiting = waiters.get(key);
            if (waiting != null) {
                waiting.forEach(w -> w.offer(value));
            }
        }
        for (ChangeListener<K, V> listener : listeners) {
            try {
                listener.onChange(key, old, value, loading);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Change listener of store %s failed for key %s", topic, key);
            }
        }
    }

    /** Configures and starts a store. */
    public static final class Builder<K, V> {
        private final String topic;
        private final Deserializer<K> keys;
        private final Deserializer<V> values;
        private final List<ChangeListener<K, V>> listeners = new ArrayList<>();

        private Builder(String topic, Deserializer<K> keys, Deserializer<V> values) {
            this.topic = topic;
            this.keys = keys;
            this.values = values;
        }

        /** Registered before the replay starts, so it also sees every record of the initial load. */
        public Builder<K, V> listener(ChangeListener<K, V> listener) {
            listeners.add(listener);
            return this;
        }

        public CompactedStore<K, V> start(Map<String, Object> consumerProps) {
            return new CompactedStore<>(topic, keys, values, consumerProps, listeners).start();
        }
    }
}
