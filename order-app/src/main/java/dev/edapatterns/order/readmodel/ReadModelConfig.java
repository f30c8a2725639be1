package dev.edapatterns.order.readmodel;

import io.smallrye.config.WithDefault;

/** {@code order.read-model.*} in application.properties (a group of {@link dev.edapatterns.order.OrderConfig}). */
public interface ReadModelConfig {

    /**
     * Whether this process runs the projections into PostgreSQL and answers {@code /customers} and {@code /reports}.
     * {@code false}: no database is needed (the queries answer 503).
     */
    @WithDefault("true")
    boolean enabled();

    /** Page size when a query names no {@code limit}. */
    @WithDefault("50")
    int defaultLimit();

    /** Largest {@code limit} a query may ask for (400 beyond). */
    @WithDefault("500")
    int maxLimit();

    /** Longest {@code q} (an email or name prefix) and {@code after} cursor, in characters (400 beyond). */
    @WithDefault("254")
    int maxQueryLength();

    /** Most days one revenue report may span ({@code to - from + 1}; 400 beyond). */
    @WithDefault("366")
    int maxReportDays();

    /** How often each instance looks for a rebuild to join or switch (projection_versions). */
    @WithDefault("1s")
    java.time.Duration rebuildCheckInterval();

    /**
     * Where the shapes of the projections' tables are on the class path ({@code <location>/<view>-<n>.sql}, see
     * {@link ProjectionShape}); the newest of each is the one this release writes and queries.
     */
    @WithDefault("db/shapes")
    java.util.List<String> shapesLocations();

    /** Records per projection batch, i.e. per database transaction. */
    @WithDefault("2000")
    int batchSize();
}
