package dev.edapatterns.billing.timezones;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while the deriver's channel is still paused (the time zones store is loading) or could not start. The store's
 * own entry ("event-kit stores") says how far the load is; this one says the deriver is not consuming yet.
 */
@Readiness
@Singleton
public class TimeZoneDeriverReadiness implements HealthCheck {

    private final TimeZoneDeriver deriver;
    private final CurrentTimeZones current;

    TimeZoneDeriverReadiness(TimeZoneDeriver deriver, CurrentTimeZones current) {
        this.deriver = deriver;
        this.current = current;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("time zones deriver");
        switch (deriver.state()) {
            case WAITING_FOR_STORE -> response.down().withData("state", "paused: waiting for the time zones store to load");
            case FAILED -> response.down().withData("state", "not started: " + deriver.problem());
            case RUNNING -> {
                var stats = deriver.stats();
                response.status(!deriver.paused()).withData("state", deriver.paused() ? "paused" : "running")
                        .withData("partitions", current.assignedPartitions().toString())
                        .withData("tz data", deriver.tzVersion())
                        .withData("batches", stats.batches())
                        .withData("countries", stats.records())
                        .withData("values", stats.values())
                        .withData("tombstones", stats.tombstones())
                        .withData("unreadable", stats.unreadable())
                        .withData("invalid", stats.invalid())
                        .withData("aborted", stats.aborted())
                        .withData("rederived", stats.rederived());
            }
        }
        return response.build();
    }
}
