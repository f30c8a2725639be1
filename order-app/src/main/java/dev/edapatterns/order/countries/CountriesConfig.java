package dev.edapatterns.order.countries;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** {@code order.countries.*} in application.properties (a group of {@link dev.edapatterns.order.OrderConfig}). */
public interface CountriesConfig {

    /** Longest wait for the broker's ack of a write; past it the outcome is unknown and the client is told so. */
    @WithDefault("30s")
    Duration ackTimeout();

    /**
     * Longest wait, after the ack, for this instance's store to apply the write (read-your-writes). Past it the
     * write is still durable and is answered as such; only an immediate GET may not show it yet.
     */
    @WithDefault("5s")
    Duration readYourWritesTimeout();

    /** Longest accepted country name. */
    @WithDefault("100")
    int maxNameLength();

    /** Most time zones of one country (the largest real ones have about 30 IANA region ids). */
    @WithDefault("64")
    int maxTimeZones();
}
