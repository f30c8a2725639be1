package dev.edapatterns.importapp.jobs;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.contracts.progress.ChannelId;
import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;
import dev.edapatterns.importapp.ImportConfig;
import dev.edapatterns.importapp.aggregate.ImportAggregates;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The jobs service: validates a CSV while it streams in and is spooled (first pass, under an upload permit), then
 * publishes the import in one transaction while cutting the jobs from the spool (second pass). Nothing is produced for
 * a request-level fault.
 */
@Singleton
public class ImportService {

    /** What the client gets back. */
    public record Accepted(String importId, String channelId) {
    }

    /** A received upload: fingerprinted, counted and cut into spooled jobs by the first pass. */
    private record Upload(UploadSpool jobs, String fingerprint, int jobsTotal, long rowsRejected, List<RowError> errors) {
    }

    /**
     * A keyed import of this instance between its reservation and the moment its aggregate is visible here. Until
     * {@code fingerprint} is set (published) a second request with its key gets 409; after, it is answered from here.
     */
    private static final class Pending {
        final String channelId;
        volatile String fingerprint;

        Pending(String channelId) {
            this.channelId = channelId;
        }
    }

    private final ImportConfig config;
    private final JobPublisher publisher;
    private final ImportAggregates aggregates;
    private final UploadPermits permits;
    private final CsvUpload csv;
    /** Keyed imports in flight on this instance, by import id. */
    private final ConcurrentHashMap<String, Pending> inFlight = new ConcurrentHashMap<>();

    private final Counter started;
    private final Counter rowsRejected;

    ImportService(ImportConfig config, JobPublisher publisher, ImportAggregates aggregates, UploadPermits permits,
            MeterRegistry registry) {
        this.config = config;
        this.publisher = publisher;
        this.aggregates = aggregates;
        this.permits = permits;
        this.csv = CsvUpload.of(config.uploads());
        this.started = Counter.builder("import.imports.started").description("Imports accepted and published by this instance")
                .register(registry);
        this.rowsRejected = Counter.builder("import.rows.rejected").description("CSV rows rejected at upload (row errors)")
                .register(registry);
    }

    /**
     * Starts an import of {@code body} for {@code startedBy} on a fresh, server-chosen progress channel. With an
     * idempotency key the import id is derived from (starter, key), so keys are scoped per user, and the upload's
     * SHA-256 is kept with the import in the aggregate (Kafka): a retry with the same file, on any instance and after
     * a restart, gets the same import and channel and publishes nothing; another file with the key gets 422; a retry
     * while the first request is still being received or published here gets 409.
     */
    public Accepted importCsv(String startedBy, InputStream body, String idempotencyKey) {
        if (idempotencyKey == null) {
            try (UploadPermits.Permit permit = permits.acquire(); UploadSpool spool = spool()) {
                return publish(startedBy, UUID.randomUUID().toString(), ChannelId.random(), receive(body, spool));
            }
        }
        String importId = UUID.nameUUIDFromBytes((startedBy + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
                .toString();
        Pending mine = new Pending(ChannelId.random());
        Pending other = inFlight.putIfAbsent(importId, mine);
        if (other != null && other.fingerprint == null) {
            throw IdempotencyKeys.inFlight();
        }
        boolean published = false;
        try (UploadPermits.Permit permit = permits.acquire(); UploadSpool spool = spool()) {
            Upload upload = receive(body, spool);
            Optional<Accepted> earlier = earlier(importId, other, upload.fingerprint());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Accepted accepted = publish(startedBy, importId, mine.channelId, upload);
            mine.fingerprint = upload.fingerprint();
            published = true;
            return accepted;
        } finally {
            if (other == null) {
                if (published) {
                    aggregates.whenVisible(importId, () -> inFlight.remove(importId, mine));
                } else {
                    inFlight.remove(importId, mine);
                }
            }
        }
    }

    /** The import this key already started (from the aggregate, or published here and not visible yet), if any. */
    private Optional<Accepted> earlier(String importId, Pending published, String fingerprint) {
        Optional<Accepted> known = aggregates.get(importId).map(a -> {
            // imports accepted before fingerprints were kept answer any retry, as they did then
            if (a.uploadFingerprint() != null && !a.uploadFingerprint().equals(fingerprint)) {
                throw IdempotencyKeys.reused();
            }
            return new Accepted(importId, a.channelId());
        });
        if (known.isEmpty() && published != null) {
            if (!Objects.equals(published.fingerprint, fingerprint)) {
                throw IdempotencyKeys.reused();
            }
            known = Optional.of(new Accepted(importId, published.channelId));
        }
        return known;
    }

    private UploadSpool spool() {
        return UploadSpool.create(config.uploads().maxBytes().asLongValue());
    }

    /** Pass 1, while the body streams in: every bound and row checked, the jobs cut and their rows serialized. */
    private Upload receive(InputStream body, UploadSpool spool) {
        List<RowError> errors = new ArrayList<>();
        long[] rejected = { 0 };
        JobPlanner planner = new JobPlanner(config.jobs().maxRows(), config.jobs().maxBytes().asLongValue(),
                rows -> spool.addJob(JobValues.rows(rows)));
        InputStream tee = spool.tee(body);
        csv.read(tee, CsvUpload.RowSink.of(planner::add, error -> {
            rejected[0]++;
            if (errors.size() < config.uploads().maxErrors()) {
                errors.add(error);
            }
        }));
        int jobsTotal = planner.finish();
        spool.finish(tee);
        return new Upload(spool, spool.fingerprint(), jobsTotal, rejected[0], errors);
    }

    /** Pass 2, inside the transaction: the spooled jobs, each wrapped in its envelope, sent. */
    private Accepted publish(String startedBy, String importId, String channelId, Upload upload) {
        Instant acceptedAt = Instant.now();
        int jobsTotal = upload.jobsTotal();
        ImportCommand accepted = new ImportCommand(importId + ":accepted", importId, channelId, ImportCommand.Type.ACCEPTED,
                -1, jobsTotal, 0, upload.rowsRejected(), 0, null, upload.errors(), startedBy, upload.fingerprint(), acceptedAt);
        JobValues values = new JobValues(importId, channelId, jobsTotal, acceptedAt);
        publisher.publish(accepted, acceptedAt, sink -> {
            int[] index = { 0 };
            upload.jobs().forEachJob(rows -> {
                int jobIndex = index[0]++;
                sink.accept(importId + ":" + jobIndex, values.value(jobIndex, rows));
            });
        });
        started.increment();
        rowsRejected.increment(upload.rowsRejected());
        return new Accepted(importId, channelId);
    }
}
