package dev.edapatterns.notify.progress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.eventkit.testing.TestKafka;

/** Writes test events to {@code progress} with a plain producer, as import-app would (key = channel id). */
final class ProgressEvents implements AutoCloseable {

    private final KafkaProducer<String, ProgressEvent> producer = new KafkaProducer<>(
            TestKafka.clients().producer(Map.of()), Topics.PROGRESS.keySerializer(), Topics.PROGRESS.valueSerializer());

    static String newChannelId() {
        return UUID.randomUUID().toString();
    }

    /** The shared key's token issuer, as import-app holds it. */
    static ChannelTokens tokens() {
        return ChannelTokens.fromBase64(ConfigProvider.getConfig().getValue(ChannelTokens.KEY_PROPERTY, String.class));
    }

    /** A token as import-app issues it: {@code user} may open {@code channelId} for the next 10 minutes. */
    static String token(String channelId, String user) {
        return tokens().issue(channelId, user, Duration.ofMinutes(10));
    }

    /** Sends and waits for the ack; returns the offset (the seq clients will see). */
    long send(String channelId, String importId, int jobsDone) {
        return send(channelId, importId, jobsDone, null);
    }

    /** {@link #send(String, String, int)} with a W3C {@code traceparent} header (when not null). */
    long send(String channelId, String importId, int jobsDone, String traceparent) {
        ProgressEvent event = new ProgressEvent(null, 0, importId, ProgressType.PROCESSED, jobsDone, 1000, jobsDone * 10L,
                0, Instant.now());
        try {
            ProducerRecord<String, ProgressEvent> record = new ProducerRecord<>(Topics.PROGRESS.name(), channelId, event);
            if (traceparent != null) {
                record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            }
            RecordMetadata metadata = producer.send(record).get(30, TimeUnit.SECONDS);
            return metadata.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProgressEvent parse(String json) {
        try {
            return Json.mapper().readValue(json, ProgressEvent.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a progress event: " + json, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
