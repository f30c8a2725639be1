package dev.edapatterns.billing.ledger;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN until the ledger's key-ordered consumer (a plain Kafka client, not a SmallRye channel, so the connector's
 * readiness check does not see it) has started polling, i.e. after the ledger accounts and skip decisions loaded; and
 * DOWN if its loop died. A blocked user keeps it UP: that is the design, not an outage ({@link LedgerLiveness}).
 */
@Readiness
@Singleton
public class LedgerReadiness implements HealthCheck {

    private final LedgerConsumer ledger;

    LedgerReadiness(LedgerConsumer ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        boolean running = ledger.isRunning();
        return HealthCheckResponse.named("ledger consumer").status(running)
                .withData("state", running ? "polling" : ledger.problem() == null ? "waiting for its stores" : ledger.problem())
                .build();
    }
}
