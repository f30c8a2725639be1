package dev.edapatterns.eventkit.health;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;

/** DOWN until every store of the app has replayed its topic (and every atomic store writer runs). */
@Readiness
@Singleton
public class StoresReadinessCheck implements HealthCheck {

    private final Stores stores;

    StoresReadinessCheck(Stores stores) {
        this.stores = stores;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("event-kit stores").up();
        for (CompactedStore<?, ?> store : stores.compactedStores()) {
            if (!store.isLoaded()) {
                response.down();
            }
            response.withData(store.topic(), describe(store));
        }
        for (AtomicStore<?, ?, ?> store : stores.atomicStores()) {
            if (!store.isReady()) {
                response.down();
                response.withData(store.view().topic() + " writer", store.failure() == null ? "starting" : "failed");
            }
        }
        return response.build();
    }

    private static String describe(CompactedStore<?, ?> store) {
        if (store.failure() != null) {
            return "failed";
        }
        var stats = store.stats();
        return (store.isLoaded() ? "loaded: " : "loading: ") + stats.entries() + " entries, " + stats.records() + " records read";
    }
}
