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
import dev.edapatterns.eventkit.errors.ProblemException;
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
    /** Imports of this instance whose aggregate may not show them yet, by id: a fast retry must not publish twice. */
    private final ConcurrentHashMap<String, Boolean> inFlight = new ConcurrentHashMap<>();

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

    public static String requireChannelId(String channelId) {
        if (channelId == null || channelId.isBlank()) {
            throw ProblemException.badRequest("channelId is required.");
        }
        if (!ChannelId.isValid(channelId)) {
            throw ProblemException.badRequest("channelId must be " + ChannelId.RULE + ".");
        }
        return channelId;
    }

    /**
     * With an idempotency key the import id is derived from (channelId, key): a retry finds the same import in the
     * aggregate (Kafka-backed, so also after a restart or on another instance) and publishes nothing.
     */
    public Accepted importCsv(String channelId, Path csv, Optional<String> idempotencyKey) {
        String importId = idempotencyKey
                .map(k -> UUID.nameUUIDFromBytes((channelId + "\n" + k).getBytes(StandardCharsets.UTF_8)).toString())
                .orElseGet(() -> UUID.randomUUID().toString());
        if (idempotencyKey.isPresent() && (aggregates.exists(importId) || inFlight.putIfAbsent(importId, true) != null)) {
            return new Accepted(importId, channelId);
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
                    -1, jobsTotal, 0, rejected[0], 0, null, errors);

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
}
