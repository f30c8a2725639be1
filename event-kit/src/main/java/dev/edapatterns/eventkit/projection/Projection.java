package dev.edapatterns.eventkit.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.retry.BackoffPolicy;

/**
 * Projects Kafka records into a database exactly once: each polled batch's rows (through a {@link ProjectionHandler})
 * and the consumed offsets ({@link ProjectionOffsets}) commit in ONE database transaction, and on partition
 * assignment the consumer seeks to the offsets stored there (none: the beginning). Input is {@code read_committed}.
 *
 * <p>Plain {@link KafkaConsumer} on the kit's {@link PollLoop}: the offsets live in the database, so Kafka's group
 * offsets are not the source of truth (the group shares out partitions; the offsets committed to it are a copy for
 * lag tools, never read back).
 *
 * <p>A failing batch rolls back, the consumer seeks back to the stored offsets and polls again after a backoff
 * ({@link BackoffPolicy}, retried as long as it fails: skipping would lose rows). An unreadable record goes to the
 * dead-letter topic with cause headers ({@link DeadLetters}) before the transaction that moves past it commits — so a
 * crash in between may set it aside twice, never lose it. Before applying, the transaction locks the batch's offset
 * rows and checks they are the ones this consumer resumed from: a consumer that lost its partitions in a rebalance it
 * has not seen yet applies nothing.
 *
 * <p>Pipelined, one batch deep: a batch's transaction runs on a writer thread while the loop polls and reads the next
 * batch (Kafka fetch and decoding overlap the database's work rather than adding to it). The loop hands the next
 * batch over only once the previous one committed, and settles it before a rebalance goes on, so the order of
 * transactions and the fencing are as if serial; a batch read while its predecessor rolled back is dropped and its
 * partitions sought back with the others.
 */
public final class Projection<R> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Projection.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration POLL_WHILE_COMMITTING = Duration.ofMillis(20);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** A partition whose stored offset could not be read at assignment: no batch of it applies before a re-seek. */
    private static final long UNKNOWN = -2;

    private final String name;
    private final int version;
    private final List<String> topics;
    private final ProjectionHandler<R> handler;
    private final DataSource dataSource;
    private final KafkaClients clients;
    private final UnaryOperator<String> deadLetterTopic;
    private final BackoffPolicy backoff;
    private final int maxPollRecords;
    private final Clock clock;
    private final ProjectionOffsets offsets;
    private final ProjectionStats stats = new ProjectionStats();
    /** Owned by the loop's thread: the stored offset each assigned partition resumed from (null: none stored). */
    private final Map<TopicPartition, Long> expected = new HashMap<>();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    /**
     * Runs each batch's transaction while the loop polls and reads the next batch (one in flight at most; the loop
     * settles it before it hands over the next one or a rebalance goes on).
     */
    private final ExecutorService writer;
    /** Owned by the loop's thread: the batch whose transaction runs on the writer, and its outcome (null: none). */
    private CompletableFuture<Void> inFlight;
    private Batch<R> inFlightBatch;
    /** Owned by the loop's thread: batches rolled back in a row. */
    private int failures;
    private PollLoop<KafkaConsumer<String, byte[]>> loop;
    private KafkaProducer<String, byte[]> deadLetters;

    private Projection(Builder<R> b) {
        this.name = b.name;
        this.version = b.version;
        this.topics = List.copyOf(b.topics);
        this.handler = b.handler;
        this.dataSource = Objects.requireNonNull(b.dataSource, "dataSource");
        this.clients = Objects.requireNonNull(b.clients, "clients");
        this.deadLetterTopic = b.deadLetterTopic;
        this.backoff = b.backoff;
        this.maxPollRecords = b.maxPollRecords;
        this.clock = b.clock;
        this.offsets = new ProjectionOffsets(name, version);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "projection-" + name + "-v" + version + "-writer");
            t.setDaemon(true);
            return t;
        });
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("projection " + name + " has no topics");
        }
    }

    public static <R> Builder<R> builder(String name, ProjectionHandler<R> handler) {
        return new Builder<>(name, handler);
    }

    /** The consumer group that shares out the partitions (it never holds offsets): one per projection version. */
    public String groupId() {
        return "projection-" + name + "-v" + version;
    }

    public Projection<R> start() {
        try (Connection c = dataSource.getConnection()) {
            offsets.lastRecordAt(c).ifPresent(stats::applied);
        } catch (SQLException e) {
            LOG.warnf("projection %s v%d: last applied time not read: %s", name, version, e);
        }
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.CLIENT_ID_CONFIG, groupId() + "-" + ProcessHandle.current().pid())),
                new StringDeserializer(), new ByteArrayDeserializer());
        // assigned before the thread starts: the body reads it
        loop = PollLoop.of("projection-" + name + "-v" + version, consumer, this::run).onStop(lag::clear);
        loop.start();
        return this;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public List<String> topics() {
        return topics;
    }

    public ProjectionStats stats() {
        return stats;
    }

    /** Records on the assigned partitions not applied yet (sum over partitions; 0 before the first poll). */
    public long lag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** True once this instance was assigned partitions, polled them all and has nothing left to apply. */
    public boolean caughtUp() {
        return !lag.isEmpty() && lag() == 0;
    }

    /** The timestamp of the newest record applied (this version, any partition, any process): how stale answers are. */
    public Optional<Instant> lastRecordAt() {
        return stats.lastRecordAt();
    }

    public boolean isAlive() {
        return loop != null && loop.isAlive();
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
        writer.shutdown();
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(5));
        }
    }

    private void run(KafkaConsumer<String, byte[]> consumer) throws InterruptedException {
        consumer.subscribe(topics, new SeekToStoredOffsets(consumer));
        try {
            while (loop.running()) {
                // a batch in flight is settled as soon as this poll returns: no longer wait for records that may not come
                ConsumerRecords<String, byte[]> polled = consumer.poll(inFlight == null ? POLL : POLL_WHILE_COMMITTING);
                // read while the previous batch's transaction runs on the writer
                Batch<R> read = Batch.of(polled, handler);
                if (!settle(consumer, read)) {
                    pause(backoff.delayAfter(failures));
                    continue;
                }
                Batch<R> batch = read.movedTo(movedPositions(consumer));
                if (!batch.isEmpty()) {
                    Map<TopicPartition, Long> resumedFrom = new HashMap<>();
                    batch.nextOffsets().keySet().forEach(tp -> resumedFrom.put(tp, expected.get(tp)));
                    inFlightBatch = batch;
                    inFlight = CompletableFuture.runAsync(() -> commit(batch, resumedFrom), writer);
                }
                for (TopicPartition tp : consumer.assignment()) {
                    long inFlightRecords = inFlightBatch == null ? 0 : inFlightBatch.span(tp);
                    consumer.currentLag(tp).ifPresent(l -> lag.put(tp, l + inFlightRecords));
                }
            }
        } finally {
            // closing: the open transaction ends (commits or rolls back) before the consumer closes
            settle(consumer, null);
        }
    }

    /**
     * Waits for the batch in flight: committed, its offsets are the expected ones from now on; rolled back, every
     * partition of it and of {@code polledSince} (read meanwhile, now dropped) goes back to its stored offset. False
     * when it rolled back.
     */
    private boolean settle(KafkaConsumer<String, byte[]> consumer, Batch<R> polledSince) throws InterruptedException {
        if (inFlight == null) {
            return true;
        }
        Batch<R> batch = inFlightBatch;
        try {
            inFlight.get();
            expected.putAll(batch.nextOffsets());
            stats.committed(batch.size(), batch.unreadable().size(), batch.lastRecordAt());
            mirrorToGroup(consumer, batch);
            failures = 0;
            return true;
        } catch (ExecutionException e) {
            failures++;
            stats.failed();
            LOG.warnf("projection %s v%d: batch of %d records rolled back (attempt %d), again in %d ms: %s", name,
                    version, batch.size(), failures, backoff.delayAfter(failures).toMillis(), e.getCause().toString());
            Set<TopicPartition> partitions = new HashSet<>(batch.nextOffsets().keySet());
            Map<TopicPartition, Long> firstOffsets = new HashMap<>(batch.firstOffsets());
            if (polledSince != null) {
                partitions.addAll(polledSince.nextOffsets().keySet());
                polledSince.firstOffsets().forEach(firstOffsets::putIfAbsent);
            }
            partitions.retainAll(consumer.assignment());
            seekToStored(consumer, partitions, firstOffsets);
            return false;
        } finally {
            inFlight = null;
            inFlightBatch = null;
        }
    }

    /** The backoff, in short steps so that {@link #close()} ends it (no interrupt: it would fail the consumer's close). */
    private void pause(Duration delay) throws InterruptedException {
        long until = System.nanoTime() + delay.toNanos();
        while (loop.running() && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /**
     * Copies the committed offsets to the consumer group, after the database commit and without waiting: only for
     * tools that watch group lag (kafka-consumer-groups, lag exporters). Never read back: a lost or stale group offset
     * changes nothing, the consumer seeks to the database's.
     */
    private void mirrorToGroup(KafkaConsumer<String, byte[]> consumer, Batch<R> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        batch.nextOffsets().forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        consumer.commitAsync(offsets, (done, error) -> {
            if (error != null) {
                LOG.debugf("projection %s v%d: group offsets not mirrored: %s", name, version, error.toString());
            }
        });
    }

    /** Assigned partitions whose position is not the stored offset (records returned, or markers passed). */
    private Map<TopicPartition, Long> movedPositions(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> moved = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp);
            if (!Long.valueOf(position).equals(expected.get(tp))) {
                moved.put(tp, position);
            }
        }
        return moved;
    }

    /**
     * The batch's transaction, on the writer thread: applies nothing unless the stored offsets are still {@code
     * resumedFrom} (the loop's expected offsets when it handed the batch over).
     */
    private void commit(Batch<R> batch, Map<TopicPartition, Long> resumedFrom) {
        try {
            for (Batch.Unreadable u : batch.unreadable()) {
                deadLetters().send(DeadLetters.of(deadLetterTopic.apply(u.record().topic()), u.record(), u.cause(), clock.instant()))
                        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Map<TopicPartition, Long> stored = offsets.lock(c, batch.nextOffsets().keySet());
                    if (!batch.resumesFrom(resumedFrom, stored)) {
                        throw new IllegalStateException("stored offsets moved on (partitions reassigned): " + stored);
                    }
                    if (!batch.rows().isEmpty()) {
                        handler.apply(c, batch.rows());
                    }
                    offsets.save(c, batch.nextOffsets(), batch.lastRecordAt());
                    c.commit();
                } catch (Exception e) {
                    try {
                        c.rollback();
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /**
     * Seeks {@code partitions} to their stored offsets (none stored: the beginning) and expects those; if the database
     * cannot say, back to {@code fallback} and to an offset no stored one equals, so nothing applies before a re-seek.
     */
    private void seekToStored(KafkaConsumer<String, byte[]> consumer, Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> fallback) {
        Map<TopicPartition, Long> stored;
        try (Connection c = dataSource.getConnection()) {
            stored = offsets.load(c);
        } catch (SQLException e) {
            LOG.warnf("projection %s v%d: stored offsets not read: %s", name, version, e.toString());
            partitions.forEach(tp -> {
                Long to = fallback.get(tp);
                if (to != null) {
                    consumer.seek(tp, to);
                }
                expected.put(tp, UNKNOWN);
            });
            return;
        }
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp);
            if (next == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, next);
            }
            expected.put(tp, next);
        }
    }

    private KafkaProducer<String, byte[]> deadLetters() {
        if (deadLetters == null) {
            deadLetters = new KafkaProducer<>(clients.producer(Map.of()), new StringSerializer(), new ByteArraySerializer());
        }
        return deadLetters;
    }

    /**
     * Runs on the loop's thread, inside poll(). The batch in flight is settled first: the partitions it writes stay this
     * consumer's until its transaction ended, and a rolled-back one is sought back before they move.
     */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> consumer;

        SeekToStoredOffsets(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        private void settleInRebalance() {
            try {
                settle(consumer, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            settleInRebalance();
            seekToStored(consumer, partitions, Map.of());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settleInRebalance();
            partitions.forEach(tp -> {
                expected.remove(tp);
                lag.remove(tp);
            });
        }
    }

    public static final class Builder<R> {
        private final String name;
        private final ProjectionHandler<R> handler;
        private int version = 1;
        private List<String> topics = List.of();
        private DataSource dataSource;
        private KafkaClients clients;
        private UnaryOperator<String> deadLetterTopic = topic -> topic + ".dlq";
        private BackoffPolicy backoff = BackoffPolicy.infinite(Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));
        private int maxPollRecords = 1000;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, ProjectionHandler<R> handler) {
            this.name = Objects.requireNonNull(name, "name");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        public Builder<R> version(int version) {
            this.version = version;
            return this;
        }

        public Builder<R> topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        public Builder<R> dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        public Builder<R> clients(KafkaClients clients) {
            this.clients = clients;
            return this;
        }

        /** Where an unreadable record of a topic goes (default {@code <topic>.dlq}). */
        public Builder<R> deadLetterTopic(UnaryOperator<String> deadLetterTopic) {
            this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic);
            return this;
        }

        /** Delays between attempts of a failing batch; the batch is attempted until it commits. */
        public Builder<R> backoff(BackoffPolicy backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        /** Records per batch, i.e. per transaction. */
        public Builder<R> maxPollRecords(int maxPollRecords) {
            this.maxPollRecords = maxPollRecords;
            return this;
        }

        public Builder<R> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Projection<R> build() {
            return new Projection<>(this);
        }
    }
}
