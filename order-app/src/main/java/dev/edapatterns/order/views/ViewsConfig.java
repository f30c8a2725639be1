package dev.edapatterns.order.views;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code order.views.*} in application.properties (a group of {@link dev.edapatterns.order.OrderConfig}). */
public interface ViewsConfig {

    /**
     * Whether this process runs the views' writers (consumer groups {@code atomic-deliveries},
     * {@code atomic-inventory}, {@code atomic-invoices}). {@code false}: the process only reads the views (from
     * their store topics) and sends inventory commands, so the views can run in their own processes.
     */
    @WithDefault("true")
    boolean enabled();

    /** Longest wait, after {@code PUT /inventory/{sku}} was acknowledged, for the view to show it (then 202). */
    @WithDefault("5s")
    Duration readYourWritesTimeout();
}
