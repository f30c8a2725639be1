package dev.edapatterns.billing.ledger;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when the ledger's poll loop died or stopped polling ({@code billing.ledger.stall-timeout}). A blocked user is not a
 * liveness problem — it is the design, reported as data and at {@code /admin/blocked} — unlike SmallRye's throttled
 * commit strategy, which would fail a channel whose record stays un-acknowledged for
 * {@code throttled.unprocessed-record-max-age.ms}.
 */
@Liveness
@Singleton
public class LedgerLiveness implements HealthCheck {

    private final LedgerConsumer ledger;

    LedgerLiveness(LedgerConsumer ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        String problem = ledger.problem();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("ledger consumer").status(problem == null);
        if (problem != null) {
            response.withData("problem", problem);
        }
        var processor = ledger.processor();
        if (processor != null) {
            var stats = processor.stats();
            response.withData("running", processor.isAlive())
                    .withData("pendingRecords", stats.pendingRecords())
                    .withData("pausedPartitions", stats.pausedPartitions())
                    .withData("blocked", processor.blocked().size())
                    .withData("applied", stats.handled())
                    .withData("skipped", ledger.skippedByDecision())
                    .withData("failedAttempts", stats.failedAttempts());
        }
        return response.build();
    }
}
