package dev.edapatterns.order.payments;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code order.payments.*} in application.properties (a group of {@link dev.edapatterns.order.OrderConfig}). */
public interface PaymentsConfig {

    /** Largest accepted request body in bytes (413 beyond). */
    @WithDefault("65536")
    int maxBodyBytes();

    /** Most lines in one order. */
    @WithDefault("100")
    int maxItems();

    /** Largest quantity of one line (the smallest is 1). */
    @WithDefault("10000")
    int maxQty();

    /**
     * Most digits of a unit price before the decimal point: with {@link #maxItems()} and {@link #maxQty()} it bounds
     * every total (by default below 10^18, 23 digits with the fraction), so a total is always small to compute and to
     * store.
     */
    @WithDefault("12")
    int maxPriceIntegerDigits();

    /** Most digits of a unit price after the decimal point, trailing zeros not counted (9.990 has 2). */
    @WithDefault("4")
    int maxPriceFractionDigits();

    /** Longest wait for the broker's ack of the payment command. */
    @WithDefault("30s")
    Duration ackTimeout();

    /**
     * Longest wait, after the ack, for this instance's view of the payments store to show the command applied (the
     * decision: paid by this request or not); 503 after it.
     */
    @WithDefault("10s")
    Duration decisionTimeout();
}
