package dev.edapatterns.importapp.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import dev.edapatterns.importapp.ImportConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.Startup;

/**
 * Writes one upload — the {@code ACCEPTED} progress event, the aggregate's {@code ACCEPTED} command and every job —
 * in ONE Kafka transaction, so readers ({@code read_committed}) see all of an import or none of it.
 *
 * <p>A pool of transactional producers, one per allowed concurrent upload: a producer has one open transaction
 * at a time, and a single shared one would serialize all uploads.
 *
 * <p>Created at start-up, not on the first request: {@code initTransactions} of each slot's stable id fences the
 * producer of a killed predecessor (same {@code eventkit.instance-id}) and aborts its open upload transaction at once.
 * Created lazily, that transaction stayed open until the broker's {@code transaction.timeout.ms} (60 s by default),
 * and meanwhile it blocked every {@code import.jobs} partition it touched for every read_committed importer, so
 * every other import stalled (found by the e2e test of a kill during an upload).
 */
@Startup
@Singleton
public class JobPublisher {

    private static final Logger LOG = Logger.getLogger(JobPublisher.class);

    private final KafkaClients clients;
    private final KafkaTracing tracing;
    private final String transactionalIdPrefix;
    private final BlockingQueue<KafkaProducer<byte[], byte[]>> pool;
    private final List<KafkaProducer<byte[], byte[]>> all = new ArrayList<>();

    JobPublisher(KafkaClients clients, KafkaTracing tracing, ImportConfig config, EventKitConfig eventKit,
            @ConfigProperty(name = "quarkus.application.name") String app) {
        this.clients = clients;
        this.tracing = tracing;
        this.transactionalIdPrefix = app + "-jobs-" + eventKit.instanceId() + "-";
        this.pool = new ArrayBlockingQueue<>(config.uploads().maxConcurrent());
        for (int i = 0; i < config.uploads().maxConcurrent(); i++) {
            pool.add(newProducer(i));
        }
    }

    /** The jobs of one import, cut lazily while the transaction is open (the file is read a second time). */
    public interface JobSource {
        void forEachJob(java.util.function.Consumer<ImportJob> sink);
    }

    public void publish(ImportCommand accepted, Instant acceptedAt, JobSource jobs) {
        KafkaProducer<byte[], byte[]> producer = pool.poll();
        if (producer == null) { // the permits guarantee one is free; be safe anyway
            throw new ProblemException(429, "Too Many Requests", "Too many uploads at once; retry shortly.");
        }
        KafkaProducer<byte[], byte[]> back = producer;
        // one span for the transaction (child of the POST's span); every record of it carries its context
        Span span = tracing.startProducer("import publish", Topics.IMPORT_JOBS.name());
        span.setAttribute("import.id", accepted.importId());
        Context traced = Context.current().with(span);
        try {
            producer.beginTransaction();
            send(producer, traced, Topics.PROGRESS, accepted.channelId(), new ProgressEvent(accepted.channelId(), 0,
                    accepted.importId(), ProgressType.ACCEPTED, 0, accepted.jobsTotal(), 0, accepted.rowsRejected(), acceptedAt));
            send(producer, traced, Topics.IMPORT_AGGREGATE_COMMANDS, accepted.importId(), accepted);
            jobs.forEachJob(job -> send(producer, traced, Topics.IMPORT_JOBS, job.importId() + ":" + job.jobIndex(), job));
            producer.commitTransaction();
        } catch (KafkaException e) {
            LOG.errorf(e, "Import %s not published; nothing of it was committed", accepted.importId());
            back = recover(producer);
            throw new ProblemException(503, "Service Unavailable", "The import could not be stored; nothing was kept. Retry.");
        } catch (RuntimeException e) {
            back = recover(producer);
            throw e;
        } finally {
            span.end();
            pool.add(back);
        }
    }

    private KafkaProducer<byte[], byte[]> recover(KafkaProducer<byte[], byte[]> producer) {
        int slot = all.indexOf(producer);
        try {
            producer.abortTransaction();
            return producer;
        } catch (KafkaException fatal) { // fenced or fatal: only a new producer with the same id goes on
            producer.close(Duration.ZERO);
            KafkaProducer<byte[], byte[]> fresh = newProducer(slot);
            all.set(slot, fresh);
            return fresh;
        }
    }

    private <V> void send(KafkaProducer<byte[], byte[]> producer, Context traced, Topic<String, V> topic, String key, V value) {
        RecordHeaders headers = new RecordHeaders();
        tracing.inject(traced, headers);
        byte[] k = topic.keySerializer().serialize(topic.name(), headers, key);
        byte[] v = topic.valueSerializer().serialize(topic.name(), headers, value);
        producer.send(new ProducerRecord<>(topic.name(), null, k, v, headers));
    }

    private KafkaProducer<byte[], byte[]> newProducer(int slot) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalIdPrefix + slot,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024)),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        if (slot < all.size()) {
            all.set(slot, producer);
        } else {
            all.add(producer);
        }
        return producer;
    }

    @PreDestroy
    void close() {
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
