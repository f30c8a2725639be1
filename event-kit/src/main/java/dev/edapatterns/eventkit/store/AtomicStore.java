package dev.edapatterns.eventkit.store;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.tracing.KafkaTracing;

/**
 * An atomic key-value store (seed pattern 6): commands go to a commands topic keyed by K; the process owning a
 * command partition applies them one after another per key with a pure {@link Reducer}, skips command ids it
 * applied before, and writes the new state to a compacted store topic <b>in the same Kafka transaction</b> as the
 * consumed command offsets and any {@link Emit}ted records. A crash therefore never loses or double-applies a
 * command; a restarted process with the same {@code transactional.id} fences its zombie.
 *
 * <p>Reads come from the store topic through a {@link CompactedStore}, so every instance can answer for every key.
 */
public final class AtomicStore<K, S, C> implements AutoCloseable {

    private final String name;
    private final Topic<K, C> commands;
    private final CompactedStore<K, StoredState<S>> view;
    private final AtomicWriter<K, S, C> writer;
    private final KafkaProducer<byte[], byte[]> commandProducer;
    private final KafkaTracing tracing;
    private final Function<C, String> commandId;

    private AtomicStore(Builder<K, S, C> b) {
        this.name = b.name;
        this.commandId = b.commandId;
        this.commands = b.commands;
        this.tracing = b.tracing;
        this.view = CompactedStore.builder(b.store).start(b.clients.consumer(Map.of()));
        this.writer = b.writer ? new AtomicWriter<>(b) : null;
        // plain client: send() serves any caller thread of any app; the store's topics are its own, not an app's channel
        this.commandProducer = new KafkaProducer<>(b.clients.producer(Map.of()), new ByteArraySerializer(), new ByteArraySerializer());
        if (writer != null) {
            writer.start();
        }
    }

    /**
     * @param commandId the id under which a command is applied once per key (a redelivered id is skipped), or
     *        {@link #notDeduplicated()}
     */
    public static <K, S, C> Builder<K, S, C> builder(String name, Topic<K, C> commands, Topic<K, S> store,
            Reducer<K, S, C> reducer, Function<C, String> commandId) {
        return new Builder<>(name, commands, store, reducer, commandId);
    }

    /**
     * The command id function of a store whose commands need no deduplication: the id is null, so no id is kept in
     * the state. Right when every command is written exactly once by a transactional producer (for example emitted
     * by another atomic store) and its duplicates were already dropped there: the writer's own consumption is
     * exactly once (offsets commit with the state). A key that receives an unbounded stream of commands (a counter,
     * a stock level) would otherwise keep every command's id; ids ending in a sequence number stay compact
     * ({@code AppliedIds}), others (UUIDs, order ids) grow the state with every command.
     */
    public static <C> Function<C, String> notDeduplicated() {
        return command -> null;
    }

    /** The current state of a key, as committed on the store topic. */
    public Optional<S> get(K key) {
        return view.get(key).map(StoredState::state);
    }

    /** State with its version and applied command ids. */
    public Optional<StoredState<S>> getStored(K key) {
        return view.get(key);
    }

    /** The store's name (its group {@code atomic-<name>} and part of its transactional.id). */
    public String name() {
        return name;
    }

    public CompactedStore<K, StoredState<S>> view() {
        return view;
    }

    /**
     * Sends a command (idempotent producer, acks=all). Callers that must send it atomically with other writes
     * produce to {@link Topic#name()} of the commands topic from their own transaction instead.
     */
    public CompletableFuture<RecordMetadata> send(K key, C command) {
        RecordHeaders headers = new RecordHeaders();
        byte[] k = commands.keySerializer().serialize(commands.name(), headers, key);
        byte[] v = commands.valueSerializer().serialize(commands.name(), headers, command);
        tracing.injectCurrent(headers); // the command continues the caller's trace
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        commandProducer.send(new ProducerRecord<>(commands.name(), null, k, v, headers), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(md);
            }
        });
        return done;
    }

    /**
     * Read-your-writes: completes with the key's stored state once the store applied the command with this id, in
     * this process's view (the writer that applied it may be another instance). A rejected command never completes:
     * callers bound the wait.
     */
    public CompletableFuture<StoredState<S>> whenApplied(K key, String commandId) {
        return view.whenVisible(key, s -> s != null && s.hasApplied(commandId));
    }

    /** {@link #send} then {@link #whenApplied}: the state that includes the command. */
    public CompletableFuture<StoredState<S>> sendAndAwaitApplied(K key, C command) {
        String id = Objects.requireNonNull(commandId.apply(command), "a command awaited must have an id");
        return send(key, command).thenCompose(sent -> whenApplied(key, id));
    }

    /** Loaded view and (when this process writes) a live writer. */
    public boolean isReady() {
        return view.isLoaded() && (writer == null || writer.isRunning());
    }

    public AtomicStoreStats stats() {
        return writer == null ? new AtomicStoreStats(0, 0, 0, 0, 0, 0, 0) : writer.stats();
    }

    /** Why the writer stopped, or null. */
    public Throwable failure() {
        return writer != null && writer.failure() != null ? writer.failure() : view.failure();
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        commandProducer.close(Duration.ofSeconds(5));
        view.close();
    }

    /** Configures and starts an atomic store. */
    public static final class Builder<K, S, C> {
        final String name;
        final Topic<K, C> commands;
        /** The store topic with its values as they are on the wire (the catalog declares only the state type). */
        final Topic<K, StoredState<S>> store;
        final Reducer<K, S, C> reducer;
        final Function<C, String> commandId;
        KafkaClients clients;
        String transactionalId;
        String groupId;
        boolean writer = true;
        KafkaTracing tracing = KafkaTracing.noop();

        private Builder(String name, Topic<K, C> commands, Topic<K, S> store, Reducer<K, S, C> reducer,
                Function<C, String> commandId) {
            this.name = name;
            this.commands = commands;
            this.store = StoredState.topic(store);
            this.reducer = reducer;
            this.commandId = commandId;
            this.groupId = "atomic-" + name;
        }

        public Builder<K, S, C> clients(KafkaClients clients) {
            this.clients = clients;
            return this;
        }

        /** Stable per process across restarts (also used as {@code group.instance.id}). */
        public Builder<K, S, C> transactionalId(String transactionalId) {
            this.transactionalId = transactionalId;
            return this;
        }

        /** The consumer group whose members share the command partitions; default {@code atomic-<name>}. */
        public Builder<K, S, C> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** false: this process only sends commands and reads states; other processes own the partitions. */
        public Builder<K, S, C> writer(boolean writer) {
            this.writer = writer;
            return this;
        }

        /** Trace context in the headers of commands, states and emits (see {@link KafkaTracing}); no-op by default. */
        public Builder<K, S, C> tracing(KafkaTracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        public AtomicStore<K, S, C> start() {
            Objects.requireNonNull(clients, "clients");
            if (writer) {
                Objects.requireNonNull(transactionalId, "transactionalId (stable per process)");
            }
            return new AtomicStore<>(this);
        }
    }
}
