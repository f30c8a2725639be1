package dev.edapatterns.billing.timezones;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.apache.kafka.common.serialization.StringDeserializer;

import dev.edapatterns.contracts.EventDeserializer;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The deriver with a time zones store the test decides when to load: the store reads (and the deriver writes)
 * {@value #TOPIC}, which does not exist until the test creates it — a store waits for a missing topic. Its own
 * consumer group, so the main tests' offsets are not touched.
 */
public class GatedStoreProfile implements QuarkusTestProfile {

    static final String TOPIC = "test.gated.timezones";
    static final String GROUP = "billing-timezones-gated";
    static final Topic<String, CountryTimeZones> TIMEZONES = Topic.builder(TOPIC, CountryTimeZones.class).compacted().build();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.countries.group.id", GROUP);
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(Store.class);
    }

    /** Replaces the store producer of {@link TimeZonesStore} in this profile only. */
    @Alternative // its producer too: enabled by this profile only
    @Singleton
    public static class Store {

        @Produces
        @Singleton
        @Startup
        CompactedStore<String, CountryTimeZones> timeZones(Stores stores) {
            return stores.compacted(CompactedStore.builder(TOPIC, new StringDeserializer(),
                    new EventDeserializer<>(CountryTimeZones.class)));
        }
    }
}
