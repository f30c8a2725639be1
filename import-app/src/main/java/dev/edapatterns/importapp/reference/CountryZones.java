package dev.edapatterns.importapp.reference;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * Countries' primary time zones (seed pattern 3): an in-memory copy of {@code reference.timezones}, which
 * billing-app derives from order-app's countries. Loaded before readiness is UP and followed live, so a change
 * reaches the next imported job within seconds.
 */
@Startup
@Singleton
public class CountryZones {

    private final CompactedStore<String, CountryTimeZones> store;

    CountryZones(Stores stores) {
        this.store = stores.compacted(Topics.REFERENCE_TIMEZONES);
    }

    /** The primary zone id of an ISO alpha-2 country code; empty for an unknown (or missing) country. */
    public Optional<String> primaryZone(String countryCode) {
        if (countryCode == null) {
            return Optional.empty();
        }
        return store.get(countryCode).map(CountryTimeZones::primaryZone);
    }

    /** Completes once the whole topic has been replayed. */
    public CompletableFuture<?> loaded() {
        return store.loaded();
    }
}
