package dev.edapatterns.importapp.jobs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.contracts.progress.ChannelId;
import dev.edapatterns.importapp.ImportConfig;
import dev.edapatterns.importapp.aggregate.ImportAggregates;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The jobs service: validates a spooled CSV (first pass), then publishes the import in one transaction while
 * cutting the jobs (second pass). Nothing is produced for a request-level fault.
 */
@Singleton
public class ImportService {

    /** What the client gets back. */
    public record Accepted(String importId, String channelId) {
    }

    private final ImportConfig config;
    private final JobPublisher publisher;
    private final ImportAggregates aggregates;
    /**
     * Channel ids of this instance's keyed imports whose aggregate may not show them yet, by import id: a fast retry
     * must neither publish twice nor get another channel.
     */
    private final ConcurrentHashMap<String, String> inFlight = new ConcurrentHashMap<>();

    private final Counter started;
    private final Counter rowsRejected;

    ImportService(ImportConfig config, JobPublisher publisher, ImportAggregates aggregates, MeterRegistry registry) {
        this.config = config;
        this.publisher = publisher;
        this.aggregates = aggregates;
        this.started = Counter.builder("import.imports.started").description("Imports accepted and published by this instance")
                .register(registry);
        this.rowsRejected = Counter.builder("import.rows.rejected").description("CSV rows rejected at upload (row errors)")
                .register(registry);
    }

    /**
     * Starts an import for {@code startedBy} on a fresh, server-chosen progress channel. With an idempotency key the
     * import id is derived from (starter, key), so keys are scoped per user: a retry finds the same import in the
     * aggregate (Kafka-backed, so also after a restart or on another instance) or in flight here, answers its
     * channel and publishes nothing.
     */
    public Accepted importCsv(String startedBy, Path csv, Optional<String> idempotencyKey) {
        String importId = idempotencyKey
                .map(k -> UUID.nameUUIDFromBytes((startedBy + "\n" + k).getBytes(StandardCharsets.UTF_8)).toString())
                .orElseGet(() -> UUID.randomUUID().toString());
        String channelId = ChannelId.random();
        if (idempotencyKey.isPresent()) {
            Optional<Accepted> earlier = earlier(importId, channelId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        boolean published = false;
        try {
            // pass 1: validate everything and count jobs before anything is produced
            List<RowError> errors = new ArrayList<>();
            long[] rejected = { 0 };
            JobPlanner counter = new JobPlanner(config.jobs().maxRows(), config.jobs().maxBytes().asLongValue(), job -> { });
            CsvUpload.forEach(csv, config.uploads().maxFieldLength(), counter::add, e -> {
                rejected[0]++;
                if (errors.size() < config.uploads().maxErrors()) {
                    errors.add(e);
                }
            });
            int jobsTotal = counter.finish();
            Instant acceptedAt = Instant.now();
            ImportCommand accepted = new ImportCommand(importId + ":accepted", importId, channelId, ImportCommand.Type.ACCEPTED,
                    -1, jobsTotal, 0, rejected[0], 0, null, errors, startedBy);

            // pass 2, inside the transaction: cut the very same jobs and send them
            publisher.publish(accepted, acceptedAt, sink -> {
                int[] index = { 0 };
                JobPlanner planner = new JobPlanner(config.jobs().maxRows(), config.jobs().maxBytes().asLongValue(),
                        rows -> sink.accept(new ImportJob(importId, channelId, index[0]++, jobsTotal, acceptedAt, rows)));
                CsvUpload.forEach(csv, config.uploads().maxFieldLength(), planner::add, e -> { });
                planner.finish();
            });
            published = true;
            started.increment();
            rowsRejected.increment(rejected[0]);
            return new Accepted(importId, channelId);
        } finally {
            if (idempotencyKey.isPresent()) {
                if (published) {
                    aggregates.whenVisible(importId, () -> inFlight.remove(importId));
                } else {
                    inFlight.remove(importId);
                }
            }
        }
    }

    /** The import a keyed request repeats, or empty after reserving {@code channelId} for it in {@link #inFlight}. */
    private Optional<Accepted> earlier(String importId, String channelId) {
        Optional<Accepted> known = aggregates.get(importId).map(a -> new Accepted(importId, a.channelId()));
        if (known.isPresent()) {
            return known;
        }
        String inFlightChannel = inFlight.putIfAbsent(importId, channelId);
        if (inFlightChannel != null) {
            return Optional.of(new Accepted(importId, inFlightChannel));
        }
        // the first request may have become visible (and left inFlight) between the two looks above
        known = aggregates.get(importId).map(a -> new Accepted(importId, a.channelId()));
        known.ifPresent(a -> inFlight.remove(importId, channelId));
        return known;
    }
}
