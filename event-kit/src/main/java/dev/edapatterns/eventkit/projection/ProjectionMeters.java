package dev.edapatterns.eventkit.projection;

import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A projection's meters, tag {@code projection=<name>} and {@code version}: {@code eventkit_projection_lag} (records not
 * applied yet), {@code eventkit_projection_last_record_timestamp_seconds} (the newest applied record's time, NaN before
 * the first), {@code eventkit_projection_batches_total{outcome=committed|rolled_back}},
 * {@code eventkit_projection_records_total} and {@code eventkit_projection_dead_lettered_total}. Read at scrape time;
 * closing removes them (a replaced version registers afresh).
 */
public final class ProjectionMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters;

    private ProjectionMeters(MeterRegistry registry, List<Meter> meters) {
        this.registry = registry;
        this.meters = meters;
    }

    public static ProjectionMeters register(MeterRegistry registry, Projection<?> p) {
        Tags tags = Tags.of("projection", p.name(), "version", Integer.toString(p.version()));
        String batches = "eventkit.projection.batches";
        return new ProjectionMeters(registry, List.of(
                Gauge.builder("eventkit.projection.lag", p, Projection::lag)
                        .description("Records on the projection's partitions not applied yet").tags(tags)
                        .strongReference(true).register(registry),
                Gauge.builder("eventkit.projection.last.record.timestamp.seconds", p,
                        x -> x.lastRecordAt().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
                        .description("Time of the newest record applied (epoch seconds)").tags(tags)
                        .strongReference(true).register(registry),
                FunctionCounter.builder(batches, p, x -> x.stats().batches()).description("Batch transactions")
                        .tags(tags.and("outcome", "committed")).register(registry),
                FunctionCounter.builder(batches, p, x -> x.stats().failedBatches()).description("Batch transactions")
                        .tags(tags.and("outcome", "rolled_back")).register(registry),
                FunctionCounter.builder("eventkit.projection.records", p, x -> x.stats().records())
                        .description("Records consumed and committed").tags(tags).register(registry),
                FunctionCounter.builder("eventkit.projection.dead.lettered", p, x -> x.stats().deadLettered())
                        .description("Unreadable records set aside on the dead-letter topic").tags(tags)
                        .register(registry)));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
