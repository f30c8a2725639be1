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

    /** Longest wait for the broker's acks of the purchase and of the idempotency record. */
    @WithDefault("30s")
    Duration ackTimeout();

    /** Longest wait, after the acks, for this instance's idempotency store to show the answer. */
    @WithDefault("5s")
    Duration readYourWritesTimeout();
}
