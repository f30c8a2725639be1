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

    /** Longest accepted Idempotency-Key. */
    @WithDefault("200")
    int maxKeyLength();

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
