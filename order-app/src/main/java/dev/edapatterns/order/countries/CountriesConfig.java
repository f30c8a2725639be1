package dev.edapatterns.order.countries;

import java.time.Duration;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

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

    /** {@code order.countries.seed.*}: reference data out of the box ({@link CountrySeeder}). */
    Seed seed();

    interface Seed {

        /** Seed an empty {@code reference.countries} with every ISO 3166 country on the cluster's first start. */
        @WithDefault("true")
        boolean enabled();

        /**
         * One fixed id for every instance of the cluster (not per instance): two instances seeding at once fence each
         * other, so one seed transaction at most commits.
         */
        @WithName("transactional.id")
        @WithDefault("order-app-countries-seed")
        String transactionalId();

        /** Pause before a seed attempt that failed (e.g. Kafka unreachable) is tried again. */
        @WithDefault("5s")
        Duration retry();
    }
}
