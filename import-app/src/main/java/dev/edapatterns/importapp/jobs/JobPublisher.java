package dev.edapatterns.importapp.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.EventHeaders;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.TransactionalProducerPool;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import dev.edapatterns.importapp.ImportConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.Startup;

/**
 * Writes one upload — the {@code ACCEPTED} progress event, the aggregate's {@code ACCEPTED} command and every job —
 * in ONE Kafka transaction, so readers ({@code read_committed}) see all of an import or none of it.
 *
 * <p>Through event-kit's {@link TransactionalProducerPool}, one producer per allowed concurrent upload: a producer has
 * one open transaction at a time, and a single shared one would serialize all uploads. The pool is created at start-up,
 * not on the first request, so a restarted instance fences its killed predecessor's open upload transaction at once
 * instead of holding back {@code import.jobs} for every read_committed importer (docs/adr/0002).
 */
@Startup
@Singleton
public class JobPublisher {

    private static final Logger LOG = Logger.getLogger(JobPublisher.class);

    private static final byte[] JOB_SCHEMA_VERSION = Integer.toString(EventHeaders.schemaVersionOf(ImportJob.class))
            .getBytes(StandardCharsets.UTF_8);

    private final KafkaTracing tracing;
    private final TransactionalProducerPool pool;

    JobPublisher(KafkaClients clients, KafkaTracing tracing, ImportConfig config, EventKitConfig eventKit,
            @ConfigProperty(name = "quarkus.application.name") String app) {
        this.tracing = tracing;
        this.pool = new TransactionalProducerPool(clients, app + "-jobs-" + eventKit.instanceId() + "-",
                config.uploads().maxConcurrent(), Map.of(
                        ProducerConfig.LINGER_MS_CONFIG, 10,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, config.jobs().compression(),
                        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
    }

    /** The jobs of one import, handed over while the transaction is open: key and serialized value each. */
    public interface JobSource {
        void forEachJob(java.util.function.BiConsumer<String, byte[]> sink);
    }

    public void publish(ImportCommand accepted, Instant acceptedAt, JobSource jobs) {
        // one span for the transaction (child of the POST's span); every record of it carries its context
        Span span = tracing.startProducer("import publish", Topics.IMPORT_JOBS.name());
        span.setAttribute("import.id", accepted.importId());
        Context traced = Context.current().with(span);
        try {
            pool.inTransaction(producer -> {
                send(producer, traced, Topics.PROGRESS, accepted.channelId(), new ProgressEvent(accepted.channelId(), 0,
                        accepted.importId(), ProgressType.ACCEPTED, 0, accepted.jobsTotal(), 0, accepted.rowsRejected(), acceptedAt));
                send(producer, traced, Topics.IMPORT_AGGREGATE_COMMANDS, accepted.importId(), accepted);
                jobs.forEachJob((key, value) -> sendJob(producer, traced, key, value));
            });
        } catch (TransactionalProducerPool.ExhaustedException e) { // the permits guarantee one is free; be safe anyway
            throw new ProblemException(429, "Too Many Requests", "Too many uploads at once; retry shortly.");
        } catch (KafkaException e) {
            LOG.errorf(e, "Import %s not published; nothing of it was committed", accepted.importId());
            throw new ProblemException(503, "Service Unavailable", "The import could not be stored; nothing was kept. Retry.");
        } finally {
            span.end();
        }
    }

    private <V> void send(KafkaProducer<byte[], byte[]> producer, Context traced, Topic<String, V> topic, String key, V value) {
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(traced, headers);
        byte[] k = topic.keySerializer().serialize(topic.name(), headers, key);
        byte[] v = topic.valueSerializer().serialize(topic.name(), headers, value);
        producer.send(new ProducerRecord<>(topic.name(), null, k, v, headers));
    }

    /** A job's value is already serialized ({@code JobValues}); the headers are what its serializer would stamp. */
    private void sendJob(KafkaProducer<byte[], byte[]> producer, Context traced, String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(traced, headers);
        headers.add(EventHeaders.SCHEMA_VERSION, JOB_SCHEMA_VERSION);
        byte[] k = Topics.IMPORT_JOBS.keySerializer().serialize(Topics.IMPORT_JOBS.name(), headers, key);
        producer.send(new ProducerRecord<>(Topics.IMPORT_JOBS.name(), null, k, value, headers));
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
