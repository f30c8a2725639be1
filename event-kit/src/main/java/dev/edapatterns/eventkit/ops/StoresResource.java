package dev.edapatterns.eventkit.ops;

import java.util.List;

import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.edapatterns.eventkit.store.AtomicStoreStats;
import dev.edapatterns.eventkit.store.StoreStats;
import dev.edapatterns.eventkit.store.Stores;

/**
 * {@code GET /ops/stores}, in every app: what each store of this process holds and has done (entries, records
 * read, skipped poison records, lag, load time; the atomic stores' writer counters), for operators and the
 * benchmarks. Readiness says loaded or not; this says how far and how fast.
 */
@Path("/ops/stores")
@Produces(MediaType.APPLICATION_JSON)
@Singleton
public class StoresResource {

    /** A compacted store, or the view of an atomic store with its writer's counters. */
    public record StoreReport(String topic, boolean loaded, StoreStats view, AtomicStoreStats writer) {
    }

    private final Stores stores;

    StoresResource(Stores stores) {
        this.stores = stores;
    }

    @GET
    public List<StoreReport> stores() {
        var compacted = stores.compactedStores().stream()
                .map(s -> new StoreReport(s.topic(), s.isLoaded(), s.stats(), null));
        var atomic = stores.atomicStores().stream()
                .map(s -> new StoreReport(s.view().topic(), s.isReady(), s.view().stats(), s.stats()));
        return java.util.stream.Stream.concat(compacted, atomic).toList();
    }
}
