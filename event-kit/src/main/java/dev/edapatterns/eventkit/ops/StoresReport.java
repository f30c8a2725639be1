package dev.edapatterns.eventkit.ops;

import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.store.AtomicStoreStats;
import dev.edapatterns.eventkit.store.StoreStats;
import dev.edapatterns.eventkit.store.Stores;

/**
 * {@code GET /ops/stores} (management port), in every app: what each store of this process holds and has done
 * (entries, records read, skipped poison records, lag, load time; the atomic stores' writer counters), for operators
 * and the benchmarks. Readiness says loaded or not; this says how far and how fast.
 */
@Singleton
public class StoresReport implements OpsEndpoint {

    /** A compacted store, or the view of an atomic store with its writer's counters. */
    public record StoreReport(String topic, boolean loaded, StoreStats view, AtomicStoreStats writer) {
    }

    private final Stores stores;

    StoresReport(Stores stores) {
        this.stores = stores;
    }

    @Override
    public String name() {
        return "stores";
    }

    @Override
    public List<StoreReport> report() {
        var compacted = stores.compactedStores().stream()
                .map(s -> new StoreReport(s.topic(), s.isLoaded(), s.stats(), null));
        var atomic = stores.atomicStores().stream()
                .map(s -> new StoreReport(s.view().topic(), s.isReady(), s.view().stats(), s.stats()));
        return Stream.concat(compacted, atomic).toList();
    }
}
