package dev.edapatterns.order.checkout;

import io.smallrye.config.WithDefault;

/** {@code order.checkout.*} in application.properties (a group of {@link dev.edapatterns.order.OrderConfig}). */
public interface CheckoutConfig {

    /**
     * Whether this process runs checkout (consumer group {@code order-checkout}). {@code false} keeps the channel
     * paused with late subscription: the process never joins the group, so checkout can run in its own processes.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * {@code false} only for benchmark P5's baseline: the same pipeline at least once (outputs through the
     * non-transactional channel {@code checkout-alo-out}, offsets committed after their acks; needs
     * {@code mp.messaging.incoming.purchases.commit-strategy=latest}). Never in production.
     */
    @WithDefault("true")
    boolean exactlyOnce();

    /**
     * TEST ONLY: every checkout transaction fails after its records were sent and before the commit (so it is
     * aborted and redelivered forever). Never set outside tests.
     */
    @WithDefault("false")
    boolean failBeforeCommit();
}
