package dev.edapatterns.billing.timezones;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.timezones.CurrentTimeZones.Change;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Derives compacted {@code reference.timezones} from compacted {@code reference.countries} (pattern 3): a
 * consume-transform-produce in group {@code billing-timezones}. Each polled batch is ONE transaction holding the changed
 * derived values (or tombstones) and the batch's offsets, so a committed country is never processed again, and a
 * value is written only when it differs from the current derived value ({@link CurrentTimeZones}) — after a restart,
 * a rebalance, or with lost offsets alike. Per key only the batch's last country counts: readers with
 * {@code read_committed} see whole batches, so intermediate values would only be noise. (Limit: a group without
 * offsets that replays a country's older, not yet compacted records in several polls can write a superseded value
 * again for a moment; with the offsets committed in the transactions that replay never happens.)
 *
 * <p>Re-derivation: a value derived from tz data carries the data's version ({@link TzData}). After every assignment
 * (so at start, and when a rolling upgrade moves partitions to a newer binary) the deriver re-derives the values of its
 * partitions that an older tz data release derived, and writes, in one transaction, only those whose zones changed. A
 * value from newer tz data is never replaced by an older binary ({@link TimeZoneDerivation#isChange}). Batches and
 * re-derivation passes take turns: one transaction at a time, each deciding from the synced current values.
 *
 * <p>The channel starts paused and is resumed once the time zones store is loaded: before that, "is it a change?"
 * cannot be answered, and a paused instance does not even join the group (late subscription), so the partitions stay
 * with instances that can work.
 */
@ApplicationScoped
public class TimeZoneDeriver {

    public static final String CHANNEL = "countries";

    private static final Logger LOG = Logger.getLogger(TimeZoneDeriver.class);

    public enum State { WAITING_FOR_STORE, RUNNING, FAILED }

    /** What the deriver did so far (readiness data, tests). */
    public record Stats(long batches, long records, long values, long tombstones, long unreadable, long invalid, long aborted,
            long rederived) {
    }

    /** Pause before a failed re-derivation pass is tried again. */
    private static final Duration REDERIVE_RETRY = Duration.ofSeconds(5);

    private final KafkaTransactions<Record<String, CountryTimeZones>> out;
    private final CompactedStore<String, CountryTimeZones> store;
    private final CurrentTimeZones current;
    private final ChannelRegistry channels;
    private final KafkaClients clients;
    private final String countriesTopic;
    private volatile State state = State.WAITING_FOR_STORE;
    private volatile String problem;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong values = new AtomicLong();
    private final AtomicLong tombstones = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong rederived = new AtomicLong();
    private final TzData tz = TzData.installed();
    private final Vertx vertx;
    /** Completes when the transaction before is done: batches and re-derivation passes take turns. */
    private final AtomicReference<CompletableFuture<Void>> turn = new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile Context context;
    private volatile int partitionCount;

    /** A batch's transaction emits up to max.poll.records records before the sink drains them: buffer them all. */
    TimeZoneDeriver(@Channel("timezones-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            KafkaTransactions<Record<String, CountryTimeZones>> out, CompactedStore<String, CountryTimeZones> store,
            CurrentTimeZones current, ChannelRegistry channels, KafkaClients clients, Vertx vertx,
            @ConfigProperty(name = "mp.messaging.incoming." + CHANNEL + ".topic") String countriesTopic) {
        this.vertx = vertx;
        this.out = out;
        this.store = store;
        this.current = current;
        this.channels = channels;
        this.clients = clients;
        this.countriesTopic = countriesTopic;
    }

    /** After the channels are wired (they start at LIBRARY_BEFORE): resume the paused channel once the store is loaded. */
    void start(@Observes StartupEvent event) {
        PausableChannel channel = channels.getPausable(CHANNEL);
        if (channel == null || !channel.isPaused()) {
            throw new IllegalStateException("Channel " + CHANNEL + " must be pausable and start paused (mp.messaging.incoming."
                    + CHANNEL + ".pausable=true, pausable.initially-paused=true, pausable.late-subscription=true)");
        }
        store.loaded().thenCompose(loaded -> partitionCounts()).whenComplete((counts, error) -> {
            if (error != null) {
                fail("the time zones store failed: " + error);
            } else if (!Objects.equals(counts.get(countriesTopic), counts.get(store.topic()))) {
                // the derived value goes to its country's partition number: counts must match
                fail("partition counts differ: " + counts);
            } else {
                partitionCount = counts.get(store.topic());
                context = vertx.getOrCreateContext();
                current.whenAssigned(this::scheduleRederive);
                state = State.RUNNING;
                LOG.infof("Time zones store loaded (%d entries): deriving %s -> %s with tz data %s", store.size(),
                        countriesTopic, store.topic(), tz.version());
                channel.resume();
            }
        });
    }

    private CompletionStage<Map<String, Integer>> partitionCounts() {
        Admin admin = Admin.create(clients.admin());
        return admin.describeTopics(List.of(countriesTopic, store.topic())).allTopicNames().toCompletionStage()
                .thenApply(topics -> {
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    topics.forEach((name, description) -> counts.put(name, partitions(description)));
                    return counts;
                })
                .whenComplete((counts, error) -> admin.close(Duration.ZERO));
    }

    private static int partitions(TopicDescription description) {
        return description.partitions().size();
    }

    private void fail(String why) {
        problem = why;
        state = State.FAILED;
        LOG.errorf("Time zones deriver not started: %s", why);
    }

    @Incoming(CHANNEL)
    public Uni<Void> derive(KafkaRecordBatch<String, Country> batch) {
        Executor back = onThisContext();
        return inTurn(back, () -> deriveBatch(batch, back));
    }

    private Uni<Void> deriveBatch(KafkaRecordBatch<String, Country> batch, Executor back) {
        long start = System.nanoTime();
        Map<String, Change> changes = new LinkedHashMap<>();
        return out.withTransaction(batch, tx -> current.sync()
                // sync may complete on another thread: decide and send where the transaction was started
                .emitOn(back)
                .invoke(() -> {
                    changes.putAll(changes(batch.getRecords()));
                    changes.forEach((code, change) -> tx.send(record(code, change)));
                }))
                .invoke(() -> {
                    current.committed(changes);
                    count(batch, changes, System.nanoTime() - start);
                })
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithItem(e -> {
                    // aborted: the connector rewound to the committed offsets, so the batch comes again; whether its
                    // commit reached the broker may be unknown, so decide the next one only after a resync
                    current.requireSync();
                    aborted.incrementAndGet();
                    LOG.warnf("Time zones batch of %d countries aborted, it will be redelivered: %s", batch.getRecords().size(),
                            e.toString());
                    return null;
                });
    }

    /** The derived values that differ from the current ones, by code, for the batch's last record of each code. */
    private Map<String, Change> changes(List<KafkaRecord<String, Country>> batch) {
        Map<String, Change> last = new LinkedHashMap<>();
        for (KafkaRecord<String, Country> record : batch) {
            if (record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON) != null
                    || record.getKey() == null) {
                // a poison record: skipped, its offset commits with the batch (it would never read better)
                unreadable.incrementAndGet();
                LOG.warnf("Skipping an unreadable country at %s-%d offset %d (key %s)", record.getTopic(), record.getPartition(),
                        offset(record), record.getKey());
                continue;
            }
            String code = record.getKey();
            CountryTimeZones derived = TimeZoneDerivation.derive(record.getPayload(), tz, why -> {
                invalid.incrementAndGet();
                LOG.warnf("Country %s has no valid time zones (%s): no time zones derived", code, why);
            }).orElse(null);
            last.put(code, new Change(record.getPartition(), derived));
        }
        Map<String, Change> changes = new LinkedHashMap<>();
        last.forEach((code, change) -> {
            if (TimeZoneDerivation.isChange(current.get(code).orElse(null), change.value())) {
                changes.put(code, change);
            }
        });
        return changes;
    }

    /**
     * Re-derives the values of this instance's partitions that older tz data derived, and writes the ones whose zones
     * changed in one transaction; completes with their number. Runs after every assignment; public for tests.
     */
    public Uni<Integer> rederive() {
        Context on = context;
        if (on == null) {
            return Uni.createFrom().failure(new IllegalStateException("the deriver has not started"));
        }
        Executor back = command -> on.runOnContext(v -> command.run());
        return inTurn(back, () -> current.sync().emitOn(back).chain(() -> {
            Map<String, Change> changes = outdated();
            if (changes.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return out.withTransaction(tx -> {
                changes.forEach((code, change) -> tx.send(record(code, change)));
                return Uni.createFrom().voidItem();
            }).map(done -> {
                current.committed(changes);
                rederived.addAndGet(changes.size());
                LOG.infof("Re-derived with tz data %s: %d countries changed %s", tz.version(), changes.size(), changes.keySet());
                return changes.size();
            });
        })).onFailure().invoke(e -> {
            current.requireSync(); // the commit's outcome may be unknown
            LOG.warnf("Re-derivation with tz data %s failed, retried in %s: %s", tz.version(), REDERIVE_RETRY, e.toString());
        });
    }

    private void scheduleRederive() {
        Context on = context;
        if (on != null) {
            on.runOnContext(v -> rederive().subscribe().with(n -> {
            }, e -> vertx.setTimer(REDERIVE_RETRY.toMillis(), id -> scheduleRederive())));
        }
    }

    /** Values of this instance's partitions derived from older tz data whose re-derivation is a change. */
    private Map<String, Change> outdated() {
        Set<Integer> mine = current.assignedPartitions();
        Map<String, Change> changes = new TreeMap<>();
        for (String code : current.codes()) {
            CountryTimeZones value = current.get(code).orElse(null);
            int partition = partitionOf(code);
            if (value == null || !value.fromTzData() || !mine.contains(partition)
                    || TzData.VERSION_ORDER.compare(value.tzVersion(), tz.version()) >= 0) {
                continue;
            }
            CountryTimeZones next = tz.derive(code).orElse(null);
            if (TimeZoneDerivation.isChange(value, next)) {
                changes.put(code, new Change(partition, next));
            }
        }
        return changes;
    }

    /** The partition a country's records have: the producers' default partitioner on the String key. */
    private int partitionOf(String code) {
        return Utils.toPositive(Utils.murmur2(code.getBytes(StandardCharsets.UTF_8))) % partitionCount;
    }

    /** Runs {@code work} on {@code on} once every transaction started before has finished (KafkaTransactions allows one). */
    private <T> Uni<T> inTurn(Executor on, Supplier<Uni<T>> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = turn.getAndSet(mine);
        return Uni.createFrom().completionStage(before).emitOn(on).chain(() -> work.get())
                .eventually(() -> {
                    mine.complete(null);
                });
    }

    private static long offset(KafkaRecord<String, Country> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
    }

    private Message<Record<String, CountryTimeZones>> record(String code, Change change) {
        // the topic the store reads (so the two can never disagree), the country's partition number (so the owner of a
        // countries partition is the only writer of the matching time zones partition)
        return Message.of(Record.of(code, change.value())).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(store.topic()).withKey(code).withPartition(change.partition()).build());
    }

    private void count(KafkaRecordBatch<String, Country> batch, Map<String, Change> changes, long nanos) {
        batches.incrementAndGet();
        records.addAndGet(batch.getRecords().size());
        changes.values().forEach(c -> (c.value() == null ? tombstones : values).incrementAndGet());
        LOG.debugf("Committed %d time zone changes for %d countries in %d ms", changes.size(), batch.getRecords().size(),
                TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    private static Executor onThisContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : command -> context.runOnContext(v -> command.run());
    }

    public State state() {
        return state;
    }

    /** Why the deriver did not start, null otherwise. */
    public String problem() {
        return problem;
    }

    public boolean paused() {
        PausableChannel channel = channels.getPausable(CHANNEL);
        return channel != null && channel.isPaused();
    }

    public Stats stats() {
        return new Stats(batches.get(), records.get(), values.get(), tombstones.get(), unreadable.get(), invalid.get(),
                aborted.get(), rederived.get());
    }

    /** The tz data this instance derives with ({@link TzData#version()}). */
    public String tzVersion() {
        return tz.version();
    }
}
