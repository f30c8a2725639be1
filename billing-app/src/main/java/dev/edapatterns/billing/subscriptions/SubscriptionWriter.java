package dev.edapatterns.billing.subscriptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.tracing.KafkaTracing;

/**
 * Writes subscriptions to {@code billing.subscriptions} (idempotent producer, acks=all) and returns once this
 * instance's store shows the write, so a GET right after a POST reads it (read-your-writes).
 */
@Singleton
public class SubscriptionWriter {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Topic<String, Subscription> topic = Topics.BILLING_SUBSCRIPTIONS;
    private final KafkaProducer<String, Subscription> producer;
    private final CompactedStore<String, Subscription> store;
    private final KafkaTracing tracing;

    SubscriptionWriter(KafkaClients clients, CompactedStore<String, Subscription> store, KafkaTracing tracing) {
        this.tracing = tracing;
        this.producer = new KafkaProducer<>(clients.producer(Map.of()), topic.keySerializer(), topic.valueSerializer());
        this.store = store;
    }

    public void write(Subscription subscription) {
        try {
            ProducerRecord<String, Subscription> record = new ProducerRecord<>(topic.name(), subscription.userId(), subscription);
            tracing.injectCurrent(record.headers()); // the request's trace
            producer.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            store.caughtUp().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing subscription " + subscription.userId() + " failed: " + e, e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
