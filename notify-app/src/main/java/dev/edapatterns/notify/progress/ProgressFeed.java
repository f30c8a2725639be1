package dev.edapatterns.notify.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import dev.edapatterns.notify.NotifyConfig;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.edapatterns.eventkit.kafka.PollLoop;
import dev.edapatterns.eventkit.kafka.TopicPartitions;

/**
 * Reads the whole {@code progress} topic on its own thread (every instance reads everything: all partitions
 * assigned, no consumer group, {@code read_committed}). At start it seeks to now − TTL to rebuild the recent
 * history, then follows live and hands each event to {@link ProgressHub}. Undeserializable records are counted and
 * skipped.
 */
@ApplicationScoped
public class ProgressFeed {

    private static final Logger LOG = Logger.getLogger(ProgressFeed.class);
    private static final String TOPIC = Topics.PROGRESS.name();

    private final KafkaClients clients;
    private final ProgressHub hub;
    private final KafkaTracing tracing;
    private final Duration ttl;
    private final Deserializer<String> keys = Topics.PROGRESS.keyDeserializer();
    private final Deserializer<ProgressEvent> values = Topics.PROGRESS.valueDeserializer();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Assigns every partition itself (no group): every instance pushes every channel's events. */
    private volatile PollLoop<KafkaConsumer<byte[], byte[]>> loop;

    ProgressFeed(KafkaClients clients, ProgressHub hub, KafkaTracing tracing, NotifyConfig config) {
        this.clients = clients;
        this.hub = hub;
        this.tracing = tracing;
        this.ttl = config.history().ttl();
    }

    void onStart(@Observes StartupEvent event) {
        Map<String, Object> props = clients.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "notify-progress-feed"));
        // plain client: every instance reads every partition, without a group, from now - TTL (a channel joins a group)
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // interrupted on close too: it may wait for pending frames to drain (ProgressHub.publish)
        loop = PollLoop.of("progress-feed", consumer, this::run).interruptOnClose();
        loop.start(); // after the assignment: the body reads the field
    }

    void onStop(@Observes ShutdownEvent event) {
        PollLoop<?> l = loop;
        if (l != null) {
            l.close(Duration.ofSeconds(10));
        }
    }

    /** True once the feed has read up to the end offsets taken at start. */
    public boolean isCaughtUp() {
        return caughtUp.isDone() && failure() == null;
    }

    public Throwable failure() {
        PollLoop<?> l = loop;
        return l == null ? null : l.failure();
    }

    public long records() {
        return records.get();
    }

    public long skipped() {
        return skipped.get();
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer) throws InterruptedException {
        long startNanos = System.nanoTime();
        List<TopicPartition> partitions = TopicPartitions.awaitAll(consumer, TOPIC, loop::running);
        consumer.assign(partitions);
        long from = System.currentTimeMillis() - ttl.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            consumer.seek(tp, at != null ? at.offset() : end.get(tp));
        }
        long nextEviction = System.currentTimeMillis() + 1000;
        List<RetainedEvent> batch = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        while (loop.running()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                RetainedEvent event = retained(record);
                if (event != null) {
                    batch.add(event);
                    // the WebSocket push is the last span of the import's trace (parent: the span that wrote it)
                    Span span = tracing.startConsumer("progress push", record);
                    span.setAttribute("progress.channel", event.channelId());
                    spans.add(span);
                }
            }
            if (!batch.isEmpty()) {
                try {
                    hub.publish(batch);
                } finally {
                    spans.forEach(Span::end);
                    spans.clear();
                    batch.clear();
                }
            }
            if (!caughtUp.isDone()) {
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    LOG.infof("Progress feed caught up: %d events of the last %s in %d ms (%d skipped)", records.get(),
                            ttl, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), skipped.get());
                    caughtUp.complete(null);
                }
            }
            long now = System.currentTimeMillis();
            if (now >= nextEviction) {
                hub.evictExpired();
                nextEviction = now + 1000;
            }
        }
    }

    /** The record as clients receive it, or null (counted, logged) when it cannot be read. */
    private RetainedEvent retained(ConsumerRecord<byte[], byte[]> record) {
        records.incrementAndGet();
        try {
            String channelId = keys.deserialize(TOPIC, record.headers(), record.key());
            ProgressEvent value = values.deserialize(TOPIC, record.headers(), record.value());
            if (channelId == null || value == null) {
                throw new IllegalArgumentException("record without key or value");
            }
            ProgressEvent event = new ProgressEvent(channelId, record.offset(), value.importId(), value.type(),
                    value.jobsDone(), value.jobsTotal(), value.rowsImported(), value.rowsRejected(), value.at());
            return new RetainedEvent(channelId, record.offset(), record.timestamp(), Json.mapper().writeValueAsString(event));
        } catch (Exception e) {
            skipped.incrementAndGet();
            LOG.warnf("Skipped progress record at partition %d offset %d: %s", record.partition(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

}
