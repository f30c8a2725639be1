package dev.edapatterns.order.countries;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * The countries as this app reads them: compacted {@code reference.countries} in memory (pattern 3). The topic
 * is the only copy of the data (no database): every instance replays it at start and then follows it, and
 * readiness stays DOWN until the replay is done (event-kit's StoresReadinessCheck).
 */
@Singleton
public class CountryStoreProducer {

    // @Startup: the replay begins at boot, not at the first request
    @Produces
    @Singleton
    @Startup
    CompactedStore<String, Country> countries(Stores stores) {
        return stores.compacted(Topics.REFERENCE_COUNTRIES);
    }
}
