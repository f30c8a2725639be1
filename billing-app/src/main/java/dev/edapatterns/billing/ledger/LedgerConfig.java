package dev.edapatterns.billing.ledger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.WithDefault;

/**
 * {@code billing.ledger.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}): the
 * ledger consumer of billing.charges and its blocking retry.
 */
public interface LedgerConfig {

    /** Consumer group of the ledger consumer. */
    @WithDefault("billing-ledger")
    String groupId();

    Retry retry();

    /** Liveness turns DOWN when the poll loop has not polled for this long (a stuck handler, not a blocked record). */
    @WithDefault("60s")
    Duration stallTimeout();

    /** {@code max.poll.interval.ms} of the ledger consumer: the loop polls between backoff waits, never beyond this. */
    @WithDefault("300s")
    Duration maxPollInterval();

    FaultInjection faultInjection();

    interface Retry {
        /** Delay after the first failed attempt. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Each further delay is the previous one times this. */
        @WithDefault("2")
        double multiplier();

        /** Delays never grow beyond this. */
        @WithDefault("5m")
        Duration maxDelay();

        /** Failed attempts after which none is scheduled (an operator retries or skips); absent: retry forever. */
        OptionalInt maxAttempts();
    }

    interface FaultInjection {
        /** Exposes {@code /admin/ledger/outages} to make postings fail on purpose (dev, tests, demos). */
        @WithDefault("false")
        boolean enabled();

        /** Users whose postings fail from start-up until released. */
        Optional<List<String>> failingUsers();
    }
}
