package dev.edapatterns.billing.renewals;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.edapatterns.eventkit.ordered.KeyOrderedProcessor;

/**
 * DOWN when the renewal consumer's poll loop died (the SmallRye channel it replaced was covered by the connector's
 * health). A user waiting for a retry is not a liveness problem: it is reported as data.
 */
@Liveness
@Singleton
public class RenewalsLiveness implements HealthCheck {

    private final RenewalConsumer consumer;

    RenewalsLiveness(RenewalConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public HealthCheckResponse call() {
        KeyOrderedProcessor<String, byte[]> processor = consumer.processor();
        Throwable failure = processor.failure();
        KeyOrderedProcessor.Stats stats = processor.stats();
        var response = HealthCheckResponse.named("renewal consumer").status(failure == null)
                .withData("pendingRecords", stats.pendingRecords())
                .withData("users", stats.keys())
                .withData("pausedPartitions", stats.pausedPartitions())
                .withData("handled", stats.handled());
        if (failure != null) {
            response.withData("problem", failure.toString());
        }
        return response.build();
    }
}
