package dev.edapatterns.eventkit.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The writing side of an {@link AtomicStore}: one thread, one consumer in the store's group, one transactional
 * producer. Per polled batch: apply every command in partition order, then in ONE transaction write the last
 * state of each touched key (to the same partition number of the store topic), the emitted records and the
 * consumed offsets. States live in memory only for owned partitions and are rebuilt from the store topic on
 * assignment.
 */
final class AtomicWriter<K, S, C> {

    private static final Logger LOG = Logger.getLogger(AtomicWriter.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final Topic<K, C> commands;
    private final Topic<K, StoredState<S>> store;
    private final Reducer<K, S, C> reducer;
    private final Function<C, String> commandId;
    private final KafkaClients clients;
    private final KafkaTracing tracing;
    private final String spanName;
    private final String transactionalId;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<C> commandDeserializer;
    private final Serializer<K> keySerializer;
    private final Serializer<StoredState<S>> stateSerializer;
    private final Deserializer<StoredState<S>> stateDeserializer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    /** A group member of its own: its offsets are committed inside the producer's transactions. */
    private final PollLoop<KafkaConsumer<byte[], byte[]>> loop;
    /** partition -> key -> state, for the command partitions this process owns. */
    private final Map<Integer, Map<K, Entry<S>>> owned = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong undecodable = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();

    AtomicWriter(AtomicStore.Builder<K, S, C> b) {
        this.name = b.name;
        this.commands = b.commands;
        this.store = b.store;
        this.reducer = b.reducer;
        this.commandId = b.commandId;
        this.clients = b.clients;
        this.tracing = b.tracing;
        this.spanName = b.name + " apply";
        this.transactionalId = b.transactionalId;
        this.keyDeserializer = commands.keyDeserializer();
        this.commandDeserializer = commands.valueDeserializer();
        this.keySerializer = store.keySerializer();
        this.stateSerializer = store.valueSerializer();
        this.stateDeserializer = store.valueDeserializer();
        this.admin = Admin.create(clients.admin());
        checkCoPartitioned();
        this.consumer = new KafkaConsumer<>(clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, b.groupId,
                // static membership: a restarted process gets its partitions back without a rebalance
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, transactionalId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-commands",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.loop = PollLoop.of("atomic-store-" + name, consumer, c -> run()).onStop(this::closeProducer);
    }

    void start() {
        loop.start();
    }

    boolean isRunning() {
        return loop.running() && loop.isAlive();
    }

    Throwable failure() {
        return loop.failure();
    }

    AtomicStoreStats stats() {
        return new AtomicStoreStats(applied.get(), duplicates.get(), rejected.get(), undecodable.get(), transactions.get(),
                aborted.get(), owned.size());
    }

    void close() {
        loop.close(Duration.ofSeconds(15));
        admin.close(Duration.ofSeconds(5));
    }

    /** The state of a key is written to the partition its commands come from: both topics must match. */
    private void checkCoPartitioned() {
        try {
            var d = admin.describeTopics(List.of(commands.name(), store.name())).allTopicNames().get(30, TimeUnit.SECONDS);
            int c = d.get(commands.name()).partitions().size();
            int s = d.get(store.name()).partitions().size();
            if (c != s) {
                throw new IllegalStateException("Atomic store " + name + ": " + commands.name() + " has " + c + " partitions but "
                        + store.name() + " has " + s + "; they must be equal (a key's state lives on its command partition)");
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Atomic store " + name + ": cannot describe its topics", e);
        }
    }

    private void run() {
        producer = retrying("initialising transactions", this::newProducer);
        consumer.subscribe(List.of(commands.name()), new Rebalance());
        while (loop.running()) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
            if (!batch.isEmpty()) {
                processInTransaction(batch);
            }
        }
    }

    /**
     * Runs {@code step} until it succeeds, waiting 0.1 s, 0.2 s, ... up to 5 s between tries: a broker that is away
     * (restarting, unreachable) makes client calls time out, and the writer must come back on its own when the broker
     * does. Gives up only when the writer is closed.
     */
    private <T> T retrying(String what, Supplier<T> step) {
        long backoffMs = 100;
        while (true) {
            try {
                return step.get();
            } catch (KafkaException | IllegalStateException e) {
                if (!loop.running()) {
                    throw e;
                }
                LOG.warnf("Atomic store %s: %s failed, retrying in %d ms: %s", name, what, backoffMs, e.toString());
                sleep(backoffMs);
                backoffMs = Math.min(5_000, backoffMs * 2);
            }
        }
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(clients.transactionalProducer(transactionalId, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-state",
                ProducerConfig.LINGER_MS_CONFIG, 5)),
                new ByteArraySerializer(), new ByteArraySerializer());
        // Fences any earlier producer with this id and settles its open transaction (the crashed "zombie").
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    /**
     * One polled batch, all or nothing: every command applied in partition order to staged copies of the states, then
     * in ONE transaction the emitted records, the last state of each touched key and the consumed offsets. Only after
     * the commit do the staged states become the owned ones.
     */
    private void processInTransaction(ConsumerRecords<byte[], byte[]> records) {
        Batch batch = new Batch();
        try {
            producer.beginTransaction();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                apply(batch, record);
            }
            writeStates(batch);
            producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
            producer.commitTransaction();
        } catch (WakeupException e) {
            abortAndRewind(e);
            throw e;
        } catch (KafkaException e) {
            abortAndRewind(e);
            return;
        }
        batch.staged.forEach((partition, states) -> {
            Map<K, Entry<S>> target = owned.get(partition);
            if (target != null) {
                target.putAll(states);
            }
        });
        applied.addAndGet(batch.applied);
        duplicates.addAndGet(batch.duplicates);
        rejected.addAndGet(batch.rejected);
        undecodable.addAndGet(batch.undecodable);
        transactions.incrementAndGet();
    }

    /** Decodes one command, drops a duplicate, reduces it into the batch's staged state and sends what it emits. */
    private void apply(Batch batch, ConsumerRecord<byte[], byte[]> record) {
        K key = decode(keyDeserializer, record, record.key());
        C command = decode(commandDeserializer, record, record.value());
        if (key == null || command == null) {
            batch.undecodable++;
            LOG.warnf("Atomic store %s skipped an undecodable command at %s-%d@%d", name, record.topic(),
                    record.partition(), record.offset());
            return;
        }
        Span span = tracing.startConsumer(spanName, record);
        try {
            Entry<S> current = batch.current(record.partition(), key);
            String id = commandId.apply(command);
            if (id != null && current != null && current.applied.contains(id)) {
                batch.duplicates++;
                return;
            }
            Outcome<S> outcome;
            try {
                outcome = reducer.apply(key, current == null ? null : current.state, command);
            } catch (RuntimeException e) {
                batch.rejected++;
                LOG.warnf("Atomic store %s rejected command %s for key %s: %s", name, id, key, e.getMessage());
                return;
            }
            Entry<S> next = current == null ? new Entry<>(0, null, AppliedIds.empty()) : current;
            next.version++;
            next.state = outcome.state();
            if (id != null) {
                next.applied.add(id);
            }
            Context traced = Context.root().with(span);
            batch.stage(record.partition(), key, next, span.getSpanContext().isValid() ? traced : null);
            for (Emit<?, ?> emit : outcome.emits()) {
                ProducerRecord<byte[], byte[]> out = emit.toRecord();
                tracing.inject(traced, out.headers());
                producer.send(out);
            }
            batch.applied++;
        } finally {
            span.end();
        }
    }

    /** The last state of each key the batch touched, to the same partition number of the store topic. */
    private void writeStates(Batch batch) {
        for (var part : batch.staged.entrySet()) {
            for (var e : part.getValue().entrySet()) {
                RecordHeaders headers = new RecordHeaders();
                Context traced = batch.traces.getOrDefault(part.getKey(), Map.of()).get(e.getKey());
                if (traced != null) {
                    tracing.inject(traced, headers); // the state continues the trace of its last command
                }
                producer.send(new ProducerRecord<>(store.name(), part.getKey(),
                        keySerializer.serialize(store.name(), headers, e.getKey()),
                        stateSerializer.serialize(store.name(), headers, e.getValue().toStored()), headers));
            }
        }
    }

    private static <T> T decode(Deserializer<T> deserializer, ConsumerRecord<byte[], byte[]> record, byte[] data) {
        try {
            return deserializer.deserialize(record.topic(), record.headers(), data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What one batch staged: states per partition and key (copies: an abort leaves the owned ones untouched). */
    private final class Batch {
        final Map<Integer, Map<K, Entry<S>>> staged = new HashMap<>();
        /** trace context of the last command applied per key: its state record continues that trace */
        final Map<Integer, Map<K, Context>> traces = new HashMap<>();
        long applied;
        long duplicates;
        long rejected;
        long undecodable;

        /** The key's state as this batch sees it: staged earlier in the batch, else a copy of the committed one. */
        Entry<S> current(int partition, K key) {
            Entry<S> current = staged.getOrDefault(partition, Map.of()).get(key);
            if (current != null) {
                return current;
            }
            Entry<S> committed = owned.getOrDefault(partition, Map.of()).get(key);
            return committed == null ? null : committed.copy();
        }

        void stage(int partition, K key, Entry<S> next, Context traced) {
            staged.computeIfAbsent(partition, p -> new HashMap<>()).put(key, next);
            if (traced != null) {
                traces.computeIfAbsent(partition, p -> new HashMap<>()).put(key, traced);
            }
        }
    }

    /**
     * Nothing of the batch may take effect: abort and replay from the committed offsets. In-memory states were only
     * staged, so after a clean abort they are still those of the last commit. When the abort itself fails (fenced,
     * fatal, or the commit timed out so its outcome is unknown — Kafka refuses an abort after a timed-out commit), a
     * new producer with the same {@code transactional.id} settles whatever was open, and the owned partitions' states
     * are reloaded from the store topic, so they match the committed offsets whether the batch committed or not. A
     * broker that is away makes each step time out: the recovery waits and tries again until it is back.
     */
    private void abortAndRewind(KafkaException cause) {
        aborted.incrementAndGet();
        LOG.warnf("Atomic store %s aborts a batch and replays it: %s", name, cause.toString());
        try {
            producer.abortTransaction();
            rewindToCommitted();
        } catch (KafkaException | IllegalStateException notAborted) {
            retrying("recovering", () -> {
                replaceProducerAndReload();
                rewindToCommitted();
                return null;
            });
        }
    }

    private void replaceProducerAndReload() {
        try {
            producer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing a failed producer", e);
        }
        producer = null;
        producer = newProducer();
        for (Integer partition : List.copyOf(owned.keySet())) {
            owned.put(partition, loadPartition(partition));
        }
        LOG.infof("Atomic store %s has a new producer and reloaded partitions %s", name, owned.keySet());
    }

    private void rewindToCommitted() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(30));
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata om = committed.get(tp);
            if (om == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, om);
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(tp);
            offsets.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /**
     * Loads the states of a newly owned partition. First the committed command offsets are fetched: in
     * read_committed mode that waits until the previous owner's transaction is settled. Then the store
     * partition is read until no transaction is open on it any more (last stable offset == high watermark) and
     * the position reached it, so the loaded states match the committed offsets exactly.
     */
    private Map<K, Entry<S>> loadPartition(int partition) {
        TopicPartition commandTp = new TopicPartition(commands.name(), partition);
        consumer.committed(Set.of(commandTp), LOAD_TIMEOUT);
        TopicPartition storeTp = new TopicPartition(store.name(), partition);
        Map<K, Entry<S>> states = new HashMap<>();
        Map<String, Object> props = clients.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, transactionalId + "-load-" + partition,
                // a bounded read up to known end offsets: never wait for more data, whatever the app's fetch.min.bytes
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> loader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            loader.assign(List.of(storeTp));
            loader.seekToBeginning(List.of(storeTp));
            while (true) {
                long stable = endOffset(storeTp, IsolationLevel.READ_COMMITTED);
                long high = endOffset(storeTp, IsolationLevel.READ_UNCOMMITTED);
                while (loader.position(storeTp) < stable) {
                    for (ConsumerRecord<byte[], byte[]> r : loader.poll(Duration.ofMillis(200))) {
                        K key = decodeKey(r);
                        StoredState<S> value = decodeState(r);
                        if (key == null) {
                            continue;
                        }
                        if (value == null) {
                            states.remove(key);
                        } else {
                            states.put(key, Entry.of(value));
                        }
                    }
                }
                if (stable == high) {
                    return states;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Atomic store " + name + ": " + storeTp + " still has an open transaction after "
                            + LOAD_TIMEOUT);
                }
                // An earlier owner's transaction is still open: it will be committed or aborted (timeout). Wait.
                sleep(100);
            }
        }
    }

    private K decodeKey(ConsumerRecord<byte[], byte[]> r) {
        return decode(store.keyDeserializer(), r, r.key());
    }

    private StoredState<S> decodeState(ConsumerRecord<byte[], byte[]> r) {
        try {
            return stateDeserializer.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            LOG.warnf("Atomic store %s skipped an undecodable state at %s-%d@%d", name, r.topic(), r.partition(), r.offset());
            return null;
        }
    }

    private long endOffset(TopicPartition tp, IsolationLevel level) {
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(level))
                    .partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Atomic store " + name + ": cannot read end offsets of " + tp, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the loop's thread when it stops (the loop closes the consumer). */
    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("closing producer", e);
            }
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<Integer> loaded = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                // a partition must be loaded before its commands are applied
                owned.put(tp.partition(), retrying("loading partition " + tp.partition(), () -> loadPartition(tp.partition())));
                loaded.add(tp.partition());
            }
            if (!loaded.isEmpty()) {
                LOG.infof("Atomic store %s owns partitions %s", name, loaded);
            }
        }
    }

    /** Mutable working copy of one key's state; copied before a batch touches it, so an abort leaves no trace. */
    private static final class Entry<S> {
        long version;
        S state;
        final AppliedIds applied;

        Entry(long version, S state, AppliedIds applied) {
            this.version = version;
            this.state = state;
            this.applied = applied;
        }

        static <S> Entry<S> of(StoredState<S> stored) {
            return new Entry<>(stored.version(), stored.state(), stored.applied());
        }

        Entry<S> copy() {
            return new Entry<>(version, state, applied.copy());
        }

        StoredState<S> toStored() {
            return StoredState.of(version, state, applied);
        }
    }
}
