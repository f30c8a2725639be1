package dev.edapatterns.order.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.projection.Projection;
import dev.edapatterns.eventkit.projection.ProjectionMeters;
import dev.edapatterns.order.OrderConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The read model's projections in this process: for each {@link ProjectionKind} the live version named by
 * {@code projection_versions}, consuming into its table (event-kit {@link Projection}: rows and offsets in one
 * transaction per batch). Off with {@code order.read-model.enabled=false}: then nothing touches the database.
 */
@Startup
@Singleton
public class ReadModel {

    /** A running projection version and its meters. */
    record Running(Projection<?> projection, ProjectionMeters meters) implements AutoCloseable {
        @Override
        public void close() {
            meters.close();
            projection.close();
        }
    }

    private final ReadModelConfig config;
    private final Instance<DataSource> dataSources;
    private final KafkaClients clients;
    private final MeterRegistry registry;
    private final Map<String, Running> live = new ConcurrentHashMap<>();
    private DataSource dataSource;

    ReadModel(OrderConfig config, Instance<DataSource> dataSources, KafkaClients clients, MeterRegistry registry) {
        this.config = config.readModel();
        this.dataSources = dataSources;
        this.clients = clients;
        this.registry = registry;
    }

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            return;
        }
        dataSource = dataSources.get();
        for (ProjectionKind kind : ProjectionKind.ALL) {
            live.put(kind.name(), run(kind, liveVersion(kind)));
        }
    }

    @PreDestroy
    void stop() {
        live.values().forEach(Running::close);
        live.clear();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The database, or 503 when this process does not run the read model. */
    public DataSource dataSource() {
        if (dataSource == null) {
            throw new ProblemException(503, "Service Unavailable",
                    "This process does not serve the read model (order.read-model.enabled=false).");
        }
        return dataSource;
    }

    /** The live version's projection of {@code name} in this process. */
    public Optional<Projection<?>> live(String name) {
        return Optional.ofNullable(live.get(name)).map(Running::projection);
    }

    Running run(ProjectionKind kind, int version) {
        Projection<?> projection = Projection.builder(kind.name(), kind.handler().apply(kind.table(version)))
                .version(version).topics(kind.topics()).dataSource(dataSource).clients(clients)
                .maxPollRecords(config.batchSize()).build().start();
        return new Running(projection, ProjectionMeters.register(registry, projection));
    }

    private int liveVersion(ProjectionKind kind) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT live_version FROM projection_versions WHERE projection = ?")) {
            ps.setString(1, kind.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("projection_versions has no row for " + kind.name());
                }
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The read model's versions cannot be read: " + e, e);
        }
    }
}
