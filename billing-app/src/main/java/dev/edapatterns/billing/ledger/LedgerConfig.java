package dev.edapatterns.billing.ledger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.WithDefault;

/**
 * {@code billing.ledger.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}): the
 * ledger consumer of billing.charges and its blocking retry per user.
 */
public interface LedgerConfig {

    /** Consumer group of the ledger consumer. */
    @WithDefault("billing-ledger")
    String groupId();

    Retry retry();

    /** Users whose charges are posted at the same time (= worker threads); one user's charges run one at a time. */
    @WithDefault("64")
    int maxConcurrentUsers();

    /**
     * Records of one partition read and not yet committable before it pauses: how far other users' charges may run
     * ahead of a blocked one (the committed offset stays below it) before the partition waits too.
     */
    @WithDefault("10000")
    int maxInFlightPerPartition();

    /** Liveness turns DOWN when the poll loop has not polled for this long (a stuck loop, not a blocked user). */
    @WithDefault("60s")
    Duration stallTimeout();

    /** {@code max.poll.interval.ms} of the ledger consumer: the loop never waits for a posting or a backoff. */
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
