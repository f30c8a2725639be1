package dev.edapatterns.billing.timezones;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * The app's view of {@code reference.timezones}: read by the API (and the billing due dates later) and by the deriver
 * to decide whether a country changed its derived value. Opened through {@link Stores}, so readiness stays DOWN until
 * it is loaded.
 */
@Singleton
public class TimeZonesStore {

    @Produces
    @Singleton
    @Startup
    CompactedStore<String, CountryTimeZones> timeZones(Stores stores) {
        return stores.compacted(Topics.REFERENCE_TIMEZONES);
    }
}
