package dev.edapatterns.order.readmodel;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.TopicPartitions;
import dev.edapatterns.eventkit.projection.Projection;
import dev.edapatterns.eventkit.projection.ProjectionMeters;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.readmodel.VersionsTable.Versions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The read model's projections in this process: for each {@link ProjectionKind} the live version named by
 * {@code projection_versions} (event-kit {@link Projection}: rows and offsets in one transaction per batch) and, during
 * a rebuild, the version being built beside it. Off with {@code order.read-model.enabled=false}: then nothing touches
 * the database.
 *
 * <p>Rebuild: {@link #rebuild} creates version n+1's table and marks it building; every instance (a check every
 * {@code order.read-model.rebuild-check-interval}) then runs its projection too, from the start of the topics, while
 * version n keeps serving. Once n+1 is no further behind the topics' ends than n, one instance switches the view to
 * n+1 in one transaction, and every instance stops n; its table and offsets are dropped.
 *
 * <p>Shapes: a release that changes a projection's table ships its next {@link ProjectionShape}; its instances build a
 * version of that shape by themselves (the same rebuild) and answer that projection's queries with 503 (readiness
 * DOWN) until it is live, while the older release's instances keep projecting and serving the live version. After the
 * switch the older release stops projecting and serving it ({@link ShapePlan}): in a rolling upgrade the old pods drop
 * out of the Service as the new ones come in, without a moment in which no one answers.
 */
@Startup
@Singleton
public class ReadModel {

    private static final Logger LOG = Logger.getLogger(ReadModel.class);

    /** A running projection version and its meters. */
    record Running(Projection<?> projection, ProjectionMeters meters) implements AutoCloseable {
        int version() {
            return projection.version();
        }

        @Override
        public void close() {
            meters.close();
            projection.close();
        }
    }

    /** What {@code POST /admin/projections/{name}/rebuild} answers. */
    public record RebuildStarted(String projection, int liveVersion, int buildingVersion) {
    }

    private final ReadModelConfig config;
    private final Instance<DataSource> dataSources;
    private final KafkaClients clients;
    private final MeterRegistry registry;
    private final Map<String, Running> live = new ConcurrentHashMap<>();
    private final Map<String, Running> building = new ConcurrentHashMap<>();
    /** This release's shape of each projection, and the versions it last saw in projection_versions. */
    private final Map<String, ProjectionShape> shapes = new ConcurrentHashMap<>();
    private final Map<String, Versions> seen = new ConcurrentHashMap<>();
    private DataSource dataSource;
    private ScheduledExecutorService checks;
    private Admin admin;

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
        admin = Admin.create(clients.admin());
        for (ProjectionKind kind : ProjectionKind.ALL) {
            shapes.put(kind.name(), ProjectionShape.newest(config.shapesLocations(), kind.view()));
            try {
                checkVersions(kind);
            } catch (SQLException e) {
                throw new IllegalStateException("The read model's versions cannot be read: " + e, e);
            }
        }
        checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "read-model-versions");
            t.setDaemon(true);
            return t;
        });
        long every = config.rebuildCheckInterval().toMillis();
        checks.scheduleWithFixedDelay(this::checkVersions, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (checks != null) {
            checks.shutdownNow();
            try {
                checks.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        live.values().forEach(Running::close);
        building.values().forEach(Running::close);
        live.clear();
        building.clear();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
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

    /**
     * Starts building version n+1 of {@code name} beside n, in this release's shape; 404 unknown name, 409 a rebuild
     * is running or a newer release's shape is live (an older release never builds over it).
     */
    public RebuildStarted rebuild(String name) {
        ProjectionKind kind = ProjectionKind.named(name).orElseThrow(() -> new ProblemException(404, "Not Found",
                "No projection '" + dev.edapatterns.eventkit.errors.Echo.clip(name) + "' (known: "
                        + ProjectionKind.ALL.stream().map(ProjectionKind::name).toList() + ")."));
        dataSource(); // 503 in a process without the read model, before anything else
        Versions started = begin(kind);
        if (started == null) {
            Versions now = versions(kind);
            throw new ProblemException(409, "Conflict", now.building() != null
                    ? "A rebuild of " + name + " is running; it switches when caught up."
                    : "A newer release's shape of " + name + " is live (shape " + now.liveShape() + ", this instance's "
                            + shapes.get(name).number() + "): this instance does not rebuild it.");
        }
        checks.execute(this::checkVersions);
        return new RebuildStarted(name, started.live(), started.building());
    }

    /**
     * 503 while this release's shape of {@code projection} is not the live one: a rebuild into it is under way (it
     * answers once that version is live), or a newer release's shape is live (its instances answer).
     */
    void requireServing(String projection) {
        Versions v = seen.get(projection);
        if (v != null && !ShapePlan.of(v, shapes.get(projection).number()).serves()) {
            throw new ProblemException(503, "Service Unavailable", "The " + projection + " read model of this instance's"
                    + " release is not the live one yet (or any more); other instances answer meanwhile.");
        }
    }

    /** This release's shape of a projection, the live version's shape, and whether this release serves it. */
    record ShapeState(int shape, int liveShape, boolean serves) {
    }

    /** Each projection's {@link ShapeState} as last seen (for readiness). */
    Map<String, ShapeState> shapeStates() {
        Map<String, ShapeState> states = new java.util.TreeMap<>();
        shapes.forEach((name, shape) -> {
            Versions v = seen.get(name);
            states.put(name, v == null ? new ShapeState(shape.number(), shape.number(), true)
                    : new ShapeState(shape.number(), v.liveShape(), ShapePlan.of(v, shape.number()).serves()));
        });
        return states;
    }

    /** Follows projection_versions: starts and stops versions here, and switches a caught-up rebuild. */
    private void checkVersions() {
        for (ProjectionKind kind : ProjectionKind.ALL) {
            try {
                checkVersions(kind);
            } catch (Exception e) {
                LOG.warnf("projection %s: versions not checked: %s", kind.name(), e.toString());
            }
        }
    }

    private void checkVersions(ProjectionKind kind) throws SQLException {
        ProjectionShape shape = shapes.get(kind.name());
        Versions v = versions(kind);
        if (ShapePlan.of(v, shape.number()).startRebuild() && begin(kind) != null) {
            v = versions(kind);
        }
        ShapePlan plan = ShapePlan.of(v, shape.number());
        seen.put(kind.name(), v);
        followLive(kind, v, plan);
        Running build = building.get(kind.name());
        if (!plan.projectBuilding()) {
            if (build != null) {
                building.remove(kind.name()).close();
            }
            return;
        }
        if (build == null || build.version() != v.building()) {
            if (build != null) {
                build.close();
            }
            building.put(kind.name(), run(kind, v.building()));
            return;
        }
        Map<TopicPartition, Long> ends = endOffsets(kind.topics());
        try (Connection c = dataSource.getConnection()) {
            long behind = VersionsTable.lag(c, kind, v.building(), ends);
            long liveBehind = VersionsTable.lag(c, kind, v.live(), ends);
            if (behind > liveBehind) {
                return;
            }
            c.setAutoCommit(false);
            boolean switched;
            try {
                switched = VersionsTable.switchTo(c, kind, v.building());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            if (!switched) {
                return;
            }
            LOG.infof("projection %s: version %d (shape %d) is live (caught up); version %d (shape %d) dropped",
                    kind.name(), v.building(), v.buildingShape(), v.live(), v.liveShape());
            seen.put(kind.name(), VersionsTable.read(c, kind, false));
            Running replaced = live.put(kind.name(), building.remove(kind.name()));
            if (replaced != null) {
                replaced.close();
            }
            c.setAutoCommit(true);
            VersionsTable.drop(c, kind, v.live());
        }
    }

    /**
     * Runs the live version here if it is of this release's shape, the one projection_versions names (another
     * instance may have switched: the version built here then goes on as the live one); stops it otherwise.
     */
    private void followLive(ProjectionKind kind, Versions v, ShapePlan plan) {
        Running current = live.get(kind.name());
        if (!plan.projectLive()) {
            if (current != null) {
                live.remove(kind.name()).close();
            }
            return;
        }
        if (current != null && current.version() == v.live()) {
            return;
        }
        Running built = building.get(kind.name());
        if (built != null && built.version() == v.live()) {
            building.remove(kind.name());
        } else {
            built = run(kind, v.live());
        }
        live.put(kind.name(), built);
        if (current != null) {
            current.close();
        }
    }

    /** Begins a rebuild into this release's shape, in one transaction; null if one runs or a newer shape is live. */
    private Versions begin(ProjectionKind kind) {
        ProjectionShape shape = shapes.get(kind.name());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Versions started = VersionsTable.beginRebuild(c, kind, shape);
                c.commit();
                if (started != null) {
                    LOG.infof("projection %s: building version %d (shape %d) beside live version %d (shape %d)",
                            kind.name(), started.building(), shape.number(), started.live(), started.liveShape());
                }
                return started;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rebuild of " + kind.name() + " not started: " + e.getMessage(), e);
        }
    }

    private Versions versions(ProjectionKind kind) {
        try (Connection c = dataSource.getConnection()) {
            return VersionsTable.read(c, kind, false);
        } catch (SQLException e) {
            throw new IllegalStateException("The read model's versions cannot be read: " + e, e);
        }
    }

    /** The topics' last stable offsets (read_committed: what a projection can reach). */
    private Map<TopicPartition, Long> endOffsets(List<String> topics) {
        try {
            return TopicPartitions.committedEnds(admin, topics, Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("end offsets of " + topics + " not read: " + e, e);
        }
    }

    private Running run(ProjectionKind kind, int version) {
        Projection<?> projection = Projection.builder(kind.name(), kind.handler().apply(kind.table(version)))
                .version(version).topics(kind.topics()).dataSource(dataSource).clients(clients)
                .maxPollRecords(config.batchSize()).build().start();
        return new Running(projection, ProjectionMeters.register(registry, projection));
    }
}
