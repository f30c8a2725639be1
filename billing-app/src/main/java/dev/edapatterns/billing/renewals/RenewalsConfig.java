package dev.edapatterns.billing.renewals;

import java.time.Duration;

/** {@code billing.renewals.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}). */
public interface RenewalsConfig {

    Scheduler scheduler();

    Dedupe dedupe();

    interface Scheduler {
        /**
         * How often the scheduler looks for due subscriptions (Quarkus {@code @Scheduled} "every" syntax; {@code off}
         * disables it). Read by the {@code @Scheduled} expression of {@link RenewalScheduler}.
         */
        String every();

        /** Delay of the first tick after start-up (read like {@link #every()}). */
        String delay();

        /** A renewal this instance sent is not sent again before this (it may still be in the retry topics). */
        Duration reemitAfter();
    }

    interface Dedupe {
        /** How long the processor waits for the charge-claims store to apply a claim. */
        Duration timeout();

        /** How long a claim holds before another attempt may take it over (its holder died mid-charge). */
        Duration lease();
    }
}
