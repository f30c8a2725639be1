package dev.edapatterns.importapp.importer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.TransactionalWorkers;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import dev.edapatterns.importapp.ImportConfig;
import dev.edapatterns.importapp.aggregate.ImportAggregates;
import dev.edapatterns.importapp.reference.CountryZones;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The contacts importer: the {@code importer} group on {@code import.jobs} (read_committed), on event-kit's
 * {@link TransactionalWorkers}. Per job, in the transaction that also commits the job's offset: a {@code CONSUMED}
 * progress event, the upserted contacts on {@code import.contacts}, and a {@code JOB_FINISHED} command to the import
 * aggregate (which then emits {@code PROCESSED} and, once, {@code COMPLETED}). A job the aggregate already counted is
 * skipped. Contacts get their country's primary time zone from {@link CountryZones}; a row without one (country missing
 * or unknown) is still imported, with {@code timeZone: null}, and counted in the import's {@code warnings}.
 */
@Singleton
public class JobImporter {

    private static final Logger LOG = Logger.getLogger(JobImporter.class);
    private static final Header[] NO_HEADERS = new Header[0];

    private final ImportAggregates aggregates;
    private final CountryZones zones;
    private final KafkaTracing tracing;
    private final TransactionalWorkers workers;
    private final Counter rowsImported;
    private final Counter jobsImported;
    private volatile boolean started;

    JobImporter(ImportAggregates aggregates, CountryZones zones, KafkaTracing tracing, KafkaClients clients,
            ImportConfig config, EventKitConfig eventKit, @ConfigProperty(name = "quarkus.application.name") String app,
            MeterRegistry registry) {
        this.aggregates = aggregates;
        this.zones = zones;
        this.tracing = tracing;
        String id = app + "-importer-" + eventKit.instanceId();
        this.workers = new TransactionalWorkers(clients, new TransactionalWorkers.Settings(id, Topics.IMPORT_JOBS.name(),
                "importer", config.importer().workers(), id + "-",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.importer().maxPollJobs(),
                        // a job is up to import.jobs.max-bytes: fetch about a poll's worth, not 50 MB of them
                        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024),
                // a job's thousands of contacts: big batches, no compression (this kind of box is CPU-bound)
                Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.LINGER_MS_CONFIG, 5)),
                this::importJob);
        // counted once the job's transaction committed; rows/s is rate(import_rows_imported_total[1m])
        this.rowsImported = Counter.builder("import.rows.imported").description("Contact rows imported (committed)")
                .register(registry);
        this.jobsImported = Counter.builder("import.jobs.imported").description("Jobs imported (committed)").register(registry);
    }

    /** Joins the importer group: called once the time zones are loaded ({@link ImporterStart}). */
    void start() {
        started = true;
        workers.start();
    }

    /** False once a started worker stopped on a failure it does not retry (a broker error is retried inside it). */
    public boolean isAlive() {
        return !started || workers.isAlive();
    }

    @PreDestroy
    void stop() {
        workers.close();
    }

    void importJob(ConsumerRecord<byte[], byte[]> record, TransactionalWorkers.Transaction tx) {
        ImportJob job = read(record);
        if (job == null || job.importId() == null || job.rows() == null) {
            failUnreadableJob(record, tx);
            return;
        }
        String commandId = job.importId() + ":" + job.jobIndex();
        if (aggregates.applied(job.importId(), commandId)) {
            return; // redelivered after it was processed: its offset commits with the batch, nothing is produced
        }
        // an email repeated inside the job: every row counts as imported, the stored contact is the last one
        Map<String, Contact> contacts = new LinkedHashMap<>();
        long withoutZone = 0;
        for (ContactRow row : job.rows()) {
            Contact c = ContactNormalizer.normalize(row, job.importId(), job.acceptedAt(),
                    country -> zones.primaryZone(country).orElse(null));
            contacts.put(c.email(), c);
            if (c.timeZone() == null) {
                withoutZone++;
            }
        }
        var progress = aggregates.get(job.importId());
        ImportCommand finished = new ImportCommand(commandId, job.importId(), job.channelId(), ImportCommand.Type.JOB_FINISHED,
                job.jobIndex(), job.jobsTotal(), job.rows().size(), 0, withoutZone, null, null);
        // one span per job, child of the upload's; every record of the job names it (one traceparent, built once)
        Span span = tracing.startConsumer("import.jobs process", record);
        try {
            Header[] traced = traceHeaders(span);
            tx.send(Topics.PROGRESS, job.channelId(), new ProgressEvent(job.channelId(), 0, job.importId(),
                    ProgressType.CONSUMED, progress.map(p -> p.jobsDone()).orElse(0), job.jobsTotal(),
                    progress.map(p -> p.rowsImported()).orElse(0L), progress.map(p -> p.rowsRejected()).orElse(0L),
                    Instant.now()), traced);
            contacts.forEach((email, contact) -> tx.send(Topics.IMPORT_CONTACTS, email, contact, traced));
            tx.send(Topics.IMPORT_AGGREGATE_COMMANDS, job.importId(), finished, traced);
        } finally {
            span.end();
        }
        int rows = job.rows().size();
        tx.afterCommit(() -> {
            jobsImported.increment();
            rowsImported.increment(rows);
        });
    }

    private Header[] traceHeaders(Span span) {
        if (!span.getSpanContext().isValid()) {
            return NO_HEADERS;
        }
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(Context.current().with(span), headers);
        return headers.toArray();
    }

    private static ImportJob read(ConsumerRecord<byte[], byte[]> record) {
        try {
            return Topics.IMPORT_JOBS.valueDeserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            return null;
        }
    }

    /**
     * A job that cannot be read can never be imported: its key ({@code importId:jobIndex}) still names the import,
     * so the aggregate is told and the import ends FAILED instead of waiting forever. A key that names nothing is
     * skipped (its offset committed).
     */
    private void failUnreadableJob(ConsumerRecord<byte[], byte[]> record, TransactionalWorkers.Transaction tx) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String[] parts = key == null ? new String[0] : key.split(":");
        if (parts.length != 2 || !parts[1].chars().allMatch(Character::isDigit) || parts[1].isEmpty()
                || !aggregates.exists(parts[0])) {
            LOG.warnf("Skipping an unreadable job record with key %s", key);
            return;
        }
        String importId = parts[0];
        int jobIndex = Integer.parseInt(parts[1]);
        LOG.errorf("Job %d of import %s cannot be read: the import fails", jobIndex, importId);
        ImportCommand failed = new ImportCommand(importId + ":" + jobIndex, importId, null, ImportCommand.Type.JOB_FAILED,
                jobIndex, 0, 0, 0, 0, "job " + jobIndex + " could not be read", null);
        tx.send(Topics.IMPORT_AGGREGATE_COMMANDS, importId, failed, NO_HEADERS);
    }
}
