package dev.edapatterns.billing.subscriptions;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes subscriptions to {@code billing.subscriptions} (channel {@code subscriptions-out}: acks=all, idempotent) and
 * returns once this instance's store shows the write, so a GET right after a POST reads it (read-your-writes).
 */
@Singleton
public class SubscriptionWriter {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<Subscription> out;
    private final CompactedStore<String, Subscription> store;
    private final KafkaTracing tracing;

    SubscriptionWriter(@Channel("subscriptions-out") MutinyEmitter<Subscription> out, CompactedStore<String, Subscription> store,
            KafkaTracing tracing) {
        this.out = out;
        this.store = store;
        this.tracing = tracing;
    }

    public void write(Subscription subscription) {
        RecordHeaders headers = new RecordHeaders();
        tracing.injectCurrent(headers); // the request's trace
        Message<Subscription> message = Message.of(subscription).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(subscription.userId()).withHeaders(headers).build());
        try {
            out.sendMessage(message).await().atMost(TIMEOUT);
            store.whenVisible(subscription.userId(), subscription::equals).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing subscription " + subscription.userId() + " failed: " + e, e);
        }
    }
}
