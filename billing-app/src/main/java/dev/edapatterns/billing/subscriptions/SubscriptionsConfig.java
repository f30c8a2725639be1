package dev.edapatterns.billing.subscriptions;

import java.time.Period;

import io.smallrye.config.WithDefault;

/** {@code billing.subscriptions.*} in application.properties (a group of {@link dev.edapatterns.billing.BillingConfig}). */
public interface SubscriptionsConfig {

    PaidUntil paidUntil();

    /**
     * How far a {@code paidUntil} given to {@code POST /subscriptions} may lie from today in the user's zone. Further back
     * is a mistake rather than a debt (it would be charged at once); further ahead is a subscription nobody pays for.
     */
    interface PaidUntil {
        /** The earliest accepted {@code paidUntil} is today minus this (ISO-8601 period, e.g. {@code P1Y}). */
        @WithDefault("P1Y")
        Period maxPast();

        /** The latest accepted {@code paidUntil} is today plus this. */
        @WithDefault("P2Y")
        Period maxFuture();
    }
}
