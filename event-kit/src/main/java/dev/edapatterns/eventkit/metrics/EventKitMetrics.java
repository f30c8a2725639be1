package dev.edapatterns.eventkit.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.ordered.KeyOrderedProcessor;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.AtomicStoreStats;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The event-kit's meters on {@code /q/metrics}, for every app: stores (entries, lag, loaded, records read/skipped),
 * atomic store writers (transactions committed/aborted, commands by outcome) and key-ordered processors (handled,
 * failed attempts, pending records, keys, blocked keys, paused partitions). Every meter reads the component's own counters at scrape time (no hot-path
 * cost); {@link Registration#close()} removes them when the component closes, so a re-opened one registers afresh.
 */
@Singleton
public class EventKitMetrics {

    /** The meters of one component; closing removes them from the registry. */
    public final class Registration implements AutoCloseable {
        private final List<Meter> meters = new ArrayList<>();

        private Registration add(Meter meter) {
            meters.add(meter);
            return this;
        }

        @Override
        public void close() {
            meters.forEach(registry::remove);
        }
    }

    private final MeterRegistry registry;

    EventKitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** {@code eventkit_store_{entries,lag,loaded}}, {@code eventkit_store_records_{read,skipped}_total}; tag store=topic. */
    public Registration compactedStore(CompactedStore<?, ?> store) {
        Tags tags = Tags.of("store", store.topic());
        return new Registration()
                .add(gauge("eventkit.store.entries", "Keys in memory", tags, store, s -> s.stats().entries()))
                .add(gauge("eventkit.store.lag", "Records on the topic not applied yet (sum over partitions)", tags, store,
                        s -> s.stats().lag()))
                .add(gauge("eventkit.store.loaded", "1 once the store has replayed its topic", tags, store,
                        s -> s.isLoaded() ? 1 : 0))
                .add(counter("eventkit.store.records.read", "Records read from the topic", tags, store, s -> s.stats().records()))
                .add(counter("eventkit.store.records.skipped", "Undeserializable records skipped", tags, store,
                        s -> s.stats().skipped()));
    }

    /**
     * The view's store meters plus {@code eventkit_atomic_transactions_total{outcome=committed|aborted}} and
     * {@code eventkit_atomic_commands_total{outcome=applied|duplicate|rejected|undecodable}}; tag store=name.
     */
    public Registration atomicStore(AtomicStore<?, ?, ?> store) {
        Registration registration = compactedStore(store.view());
        Tags tags = Tags.of("store", store.name());
        String tx = "eventkit.atomic.transactions";
        String commands = "eventkit.atomic.commands";
        return registration
                .add(counter(tx, "Writer transactions", tags.and("outcome", "committed"), store,
                        s -> s.stats().transactions()))
                .add(counter(tx, "Writer transactions", tags.and("outcome", "aborted"), store, s -> s.stats().aborted()))
                .add(counter(commands, "Commands by outcome", tags.and("outcome", "applied"), store, s -> s.stats().applied()))
                .add(counter(commands, "Commands by outcome", tags.and("outcome", "duplicate"), store,
                        s -> s.stats().duplicates()))
                .add(counter(commands, "Commands by outcome", tags.and("outcome", "rejected"), store,
                        s -> s.stats().rejected()))
                .add(counter(commands, "Commands by outcome", tags.and("outcome", "undecodable"), store,
                        s -> s.stats().undecodable()))
                .add(gauge("eventkit.atomic.partitions", "Command partitions this process owns", tags, store,
                        s -> stats(s).partitions()));
    }

    /**
     * {@code eventkit_ordered_records_handled_total}, {@code eventkit_ordered_failed_attempts_total},
     * {@code eventkit_ordered_pending_records} (read and not yet committable), {@code eventkit_ordered_keys} (keys with
     * work), {@code eventkit_ordered_blocked_keys} (waiting for a retry), {@code eventkit_ordered_paused_partitions};
     * tag processor=name.
     */
    public Registration keyOrdered(KeyOrderedProcessor<?, ?> processor) {
        Tags tags = Tags.of("processor", processor.name());
        return new Registration()
                .add(counter("eventkit.ordered.records.handled", "Records handled", tags, processor, p -> p.stats().handled()))
                .add(counter("eventkit.ordered.failed.attempts", "Failed attempts (retried or given up)", tags, processor,
                        p -> p.stats().failedAttempts()))
                .add(gauge("eventkit.ordered.pending.records", "Records read and not yet committable", tags, processor,
                        p -> p.stats().pendingRecords()))
                .add(gauge("eventkit.ordered.keys", "Keys with records queued or running", tags, processor,
                        p -> p.stats().keys()))
                .add(gauge("eventkit.ordered.blocked.keys", "Keys waiting for the retry of a failed record", tags, processor,
                        p -> p.blocked().size()))
                .add(gauge("eventkit.ordered.paused.partitions", "Partitions paused (full, or waiting for a delayed record)",
                        tags, processor, p -> p.stats().pausedPartitions()));
    }

    private static AtomicStoreStats stats(AtomicStore<?, ?, ?> store) {
        return store.stats();
    }

    private <T> Gauge gauge(String name, String description, Tags tags, T target, ToDoubleFunction<T> value) {
        return Gauge.builder(name, target, value).description(description).tags(tags).strongReference(true)
                .register(registry);
    }

    private <T> FunctionCounter counter(String name, String description, Tags tags, T target, ToDoubleFunction<T> value) {
        return FunctionCounter.builder(name, target, value).description(description).tags(tags).register(registry);
    }
}
