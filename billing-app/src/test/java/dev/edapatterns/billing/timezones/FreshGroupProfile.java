package dev.edapatterns.billing.timezones;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The deriver in a consumer group that never committed an offset: it reads every country from the beginning. */
public class FreshGroupProfile implements QuarkusTestProfile {

    static final String GROUP = "billing-timezones-fresh";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.countries.group.id", GROUP);
    }
}
