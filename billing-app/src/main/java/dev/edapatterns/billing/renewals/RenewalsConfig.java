package dev.edapatterns.billing.renewals;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.WithDefault;

/** {@code billing.renewals.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}). */
public interface RenewalsConfig {

    Scheduler scheduler();

    Dedupe dedupe();

    Processor processor();

    Retry retry();

    /** {@code billing.renewals.processor.*}: the key-ordered consumer of the renewals and their retry topics. */
    interface Processor {
        /** The consumer group of billing.renewals and its retry topics (one group: partition N of each on one member). */
        @WithDefault("billing-renewals")
        String groupId();

        /** Users charged at the same time (worker threads); each attempt mostly waits for Kafka round trips. */
        @WithDefault("256")
        int maxConcurrentUsers();

        /** Records of one partition read and not yet committable before the partition is paused. */
        @WithDefault("1000")
        int maxInFlightPerPartition();
    }

    /** {@code billing.renewals.retry.*}: non-blocking retry topics and the dead-letter topic. */
    interface Retry {
        /**
         * The retry topics in order; the delay of each is the number after its last {@code _} (ms), the naming
         * SmallRye's delayed-retry-topic uses. Each must be declared in contracts with the source's partition count.
         */
        List<String> topics();

        /**
         * Failed attempts retried before the dead-letter topic; past the list of topics the last one is reused
         * (SmallRye's rule). Default: one retry per topic.
         */
        java.util.OptionalInt maxRetries();

        /** A renewal failing for longer than this since its first failure goes to the dead-letter topic. */
        Duration timeout();

        @WithDefault("billing.renewals.dlq")
        String deadLetterTopic();
    }

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
