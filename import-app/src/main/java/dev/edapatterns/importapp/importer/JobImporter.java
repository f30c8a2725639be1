package dev.edapatterns.importapp.importer;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.importapp.aggregate.ImportAggregates;
import dev.edapatterns.importapp.reference.CountryZones;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;

/**
 * The contacts importer: consumes {@code import.jobs} (group {@code importer}, read_committed) and, per job, in ONE
 * transaction with the job's offset: a {@code CONSUMED} progress event, the upserted contacts on
 * {@code import.contacts}, and a {@code JOB_FINISHED} command to the import aggregate (which then emits
 * {@code PROCESSED} and, once, {@code COMPLETED}). A job the aggregate already counted is skipped.
 * Contacts get their country's primary time zone from {@link CountryZones}; a row without one (country missing
 * or unknown) is still imported, with {@code timeZone: null}, and counted in the import's {@code warnings}.
 */
@ApplicationScoped
public class JobImporter {

    private static final Logger LOG = Logger.getLogger(JobImporter.class);

    private final KafkaTransactions<Object> out;
    private final ImportAggregates aggregates;
    private final CountryZones zones;
    private final Counter rowsImported;
    private final Counter jobsImported;

    /**
     * A job's whole transaction (up to {@code import.jobs.max-rows} contacts + 2) is emitted before the sink drains it:
     * the emitter must buffer it all. A bounded buffer would overflow on every job larger than it, abort the
     * transaction and abort the redelivered job again, forever; the job size bounds the buffer (docs/adr/0001).
     */
    JobImporter(@Channel("importer-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) KafkaTransactions<Object> out,
            ImportAggregates aggregates, CountryZones zones, MeterRegistry registry) {
        this.out = out;
        this.aggregates = aggregates;
        this.zones = zones;
        // counted once the job's transaction committed; rows/s is rate(import_rows_imported_total[1m])
        this.rowsImported = Counter.builder("import.rows.imported").description("Contact rows imported (committed)")
                .register(registry);
        this.jobsImported = Counter.builder("import.jobs.imported").description("Jobs imported (committed)").register(registry);
    }

    @Incoming(ImporterStart.JOBS)
    public Uni<Void> importJob(Message<ImportJob> message) {
        ImportJob job = message.getPayload();
        if (job == null || job.importId() == null || job.rows() == null) {
            return failUnreadableJob(message);
        }
        String commandId = job.importId() + ":" + job.jobIndex();
        if (aggregates.applied(job.importId(), commandId)) {
            // redelivered after it was processed: commit its offset, produce nothing
            return out.withTransactionAndAck(message, tx -> Uni.createFrom().voidItem());
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
        return out.withTransactionAndAck(message, tx -> {
            tx.send(record(message, Topics.PROGRESS, job.channelId(), new ProgressEvent(job.channelId(), 0, job.importId(),
                    ProgressType.CONSUMED, progress.map(p -> p.jobsDone()).orElse(0), job.jobsTotal(),
                    progress.map(p -> p.rowsImported()).orElse(0L), progress.map(p -> p.rowsRejected()).orElse(0L),
                    Instant.now())));
            contacts.forEach((email, contact) -> tx.send(record(message, Topics.IMPORT_CONTACTS, email, contact)));
            tx.send(record(message, Topics.IMPORT_AGGREGATE_COMMANDS, job.importId(), finished));
            return Uni.createFrom().voidItem();
        }).invoke(() -> {
            jobsImported.increment();
            rowsImported.increment(job.rows().size());
        });
    }

    /**
     * A job that cannot be read can never be imported: its key ({@code importId:jobIndex}) still names the import,
     * so the aggregate is told and the import ends FAILED instead of waiting forever. A key that names nothing is
     * skipped (its offset committed).
     */
    private Uni<Void> failUnreadableJob(Message<ImportJob> message) {
        Object key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getKey).orElse(null);
        String[] parts = key == null ? new String[0] : key.toString().split(":");
        if (parts.length != 2 || !parts[1].chars().allMatch(Character::isDigit) || parts[1].isEmpty()
                || !aggregates.exists(parts[0])) {
            LOG.warnf("Skipping an unreadable job record with key %s", key);
            return out.withTransactionAndAck(message, tx -> Uni.createFrom().voidItem());
        }
        String importId = parts[0];
        int jobIndex = Integer.parseInt(parts[1]);
        LOG.errorf("Job %d of import %s cannot be read: the import fails", jobIndex, importId);
        ImportCommand failed = new ImportCommand(importId + ":" + jobIndex, importId, null, ImportCommand.Type.JOB_FAILED,
                jobIndex, 0, 0, 0, 0, "job " + jobIndex + " could not be read", null);
        return out.withTransactionAndAck(message, tx -> {
            tx.send(record(message, Topics.IMPORT_AGGREGATE_COMMANDS, importId, failed));
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * An outgoing record of the job's transaction. It carries the job's tracing metadata (the connector's span for
     * the incoming job), so the connector makes its producer span a child of it: the import's trace goes on.
     */
    private static <V> Message<Object> record(Message<ImportJob> job, Topic<String, V> topic, String key, V value) {
        Message<Object> out = Message.<Object>of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic.name()).withKey(key).build());
        return TracingMetadata.fromMessage(job).map(out::addMetadata).orElse(out);
    }
}
