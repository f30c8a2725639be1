package dev.edapatterns.billing.timezones;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * "What is the derived value of this country now?" for the deriver: the time zones store, overlaid with what this
 * process committed but the store may not have read yet. Also the rebalance listener of the deriver's consumer.
 *
 * <p>Why the overlay is enough: the deriver owns a countries partition, and only the owner of partition p writes
 * partition p of {@code reference.timezones}; so, for the keys it owns, the store plus its own recent commits is the
 * whole truth — once the store has seen everything the previous owner committed. That is what {@link #sync()} ensures
 * before the first batch after an assignment (and after a failed batch, whose outcome may be unknown):
 * <ol>
 * <li>the consumer has already fetched the committed offsets of the new partitions (it asks for stable offsets, so
 * this waits for the previous owner's last transaction to finish);</li>
 * <li>wait until no transaction is open on the matching time zones partitions (last stable offset == high watermark),
 * which closes the gap between that transaction's offsets and its records becoming readable;</li>
 * <li>{@link CompactedStore#caughtUp()}: the store applied everything committed until now. The overlay is then
 * redundant and cleared.</li>
 * </ol>
 * Entries of revoked partitions are dropped at once: another instance may write those keys next.
 */
@Singleton
@Default // also injected by the deriver and the readiness check, not only looked up by name
@Identifier(CurrentTimeZones.LISTENER)
public class CurrentTimeZones implements KafkaConsumerRebalanceListener {

    /** The name {@code mp.messaging.incoming.countries.consumer-rebalance-listener.name} refers to. */
    public static final String LISTENER = "timezones-deriver";

    private static final Logger LOG = Logger.getLogger(CurrentTimeZones.class);
    /** An abandoned transaction is aborted by the broker after transaction.timeout.ms (60 s by default). */
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    /** A value this process committed; compared by identity, so a later equal value is never removed by mistake. */
    private static final class Committed {
        final int partition;
        final CountryTimeZones value; // null: tombstone

        Committed(int partition, CountryTimeZones value) {
            this.partition = partition;
            this.value = value;
        }
    }

    private final CompactedStore<String, CountryTimeZones> store;
    private final Admin admin;
    private final Map<String, Committed> committed = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean needsSync = new AtomicBoolean(true);
    private volatile Runnable onAssigned = () -> {
    };

    CurrentTimeZones(CompactedStore<String, CountryTimeZones> store, KafkaClients clients) {
        this.store = store;
        this.admin = Admin.create(clients.admin());
    }

    /** The current derived value of a key this process owns. */
    public Optional<CountryTimeZones> get(String code) {
        Committed mine = committed.get(code);
        return mine != null ? Optional.ofNullable(mine.value) : store.get(code);
    }

    /** Every code with a current value or a committed tombstone not yet in the store. */
    public Set<String> codes() {
        Set<String> codes = new java.util.TreeSet<>(store.snapshot().keySet());
        codes.addAll(committed.keySet());
        return codes;
    }

    /** Called (on the consumer's polling thread) after partitions were assigned: the deriver re-derives their values. */
    public void whenAssigned(Runnable hook) {
        onAssigned = hook;
    }

    /** After a transaction committed: these values hold until the store shows them (or something later). */
    public void committed(Map<String, Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, Committed> entries = changes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new Committed(e.getValue().partition(), e.getValue().value())));
        committed.putAll(entries);
        // keeps the overlay small: once the store passed this commit, it answers for these keys itself
        store.caughtUp().thenRun(() -> entries.forEach((code, entry) -> committed.remove(code, entry)));
    }

    /** The outcome of a batch is unknown (e.g. a failed commit): resynchronise before the next one. */
    public void requireSync() {
        needsSync.set(true);
    }

    public int overlaySize() {
        return committed.size();
    }

    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    /** Completes at once unless an assignment or a failure happened since the last sync; see the class comment. */
    public Uni<Void> sync() {
        if (!needsSync.getAndSet(false)) {
            return Uni.createFrom().voidItem();
        }
        Set<TopicPartition> partitions = assigned.stream().map(p -> new TopicPartition(store.topic(), p))
                .collect(Collectors.toSet());
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        return awaitNoOpenTransaction(partitions, deadline)
                .chain(() -> Uni.createFrom().completionStage(store::caughtUp))
                .ifNoItem().after(SYNC_TIMEOUT).fail()
                .invoke(committed::clear)
                .onFailure().invoke(e -> {
                    needsSync.set(true);
                    LOG.warnf("Time zones store not in sync with partitions %s yet: %s", partitions, e.toString());
                });
    }

    private Uni<Void> awaitNoOpenTransaction(Set<TopicPartition> partitions, long deadline) {
        if (partitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        // stable first, then high: equal means no transaction was open in between
        return listOffsets(latest, IsolationLevel.READ_COMMITTED)
                .chain(stable -> listOffsets(latest, IsolationLevel.READ_UNCOMMITTED).map(high -> partitions.stream()
                        .filter(tp -> stable.get(tp).offset() < high.get(tp).offset()).collect(Collectors.toSet())))
                .chain(open -> {
                    if (open.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (System.nanoTime() > deadline) {
                        return Uni.createFrom().failure(new IllegalStateException("transactions still open on " + open));
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
                            .chain(() -> awaitNoOpenTransaction(open, deadline));
                });
    }

    private Uni<Map<TopicPartition, ListOffsetsResultInfo>> listOffsets(Map<TopicPartition, OffsetSpec> specs,
            IsolationLevel isolation) {
        return Uni.createFrom().completionStage(() -> admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all()
                .toCompletionStage());
    }

    // --- rebalance listener (called on the consumer's polling thread) ------------------------------------------------

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> assigned.add(tp.partition()));
        needsSync.set(true); // records of these partitions are polled after this: the next batch syncs first
        LOG.infof("Time zones deriver assigned %s", partitions);
        if (!partitions.isEmpty()) {
            onAssigned.run();
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Integer> revoked = partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        assigned.removeAll(revoked);
        committed.values().removeIf(c -> revoked.contains(c.partition));
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /** A derived value to write (null: a tombstone) to the same partition number as its country. */
    public record Change(int partition, CountryTimeZones value) {
    }
}
