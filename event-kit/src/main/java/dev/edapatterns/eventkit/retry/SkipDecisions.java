package dev.edapatterns.eventkit.retry;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * The durable "skip this record" decisions of a blocking retry (e.g. the ledger's, on the key-ordered processor): a
 * compacted topic read into a {@link CompactedStore} (loaded before the consumer starts), written with acks=all and
 * read back before a decision counts as taken. The consumer's handler checks it before applying any record, so a
 * skipped record that comes again (a restart before the offset commit, a rewound or new group) is passed over instead
 * of blocking again.
 */
public final class SkipDecisions implements AutoCloseable {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final CompactedStore<String, SkipDecision> store;
    private final KafkaProducer<String, SkipDecision> producer;
    private final Topic<String, SkipDecision> topic;

    public SkipDecisions(Topic<String, SkipDecision> topic, CompactedStore<String, SkipDecision> store, KafkaClients clients) {
        this.topic = topic;
        this.store = store;
        // plain client: the kit's retry consumer records decisions from its own thread, in any app, without a channel
        this.producer = new KafkaProducer<>(clients.producer(Map.of("client.id", "skip-decisions-" + topic.name())),
                topic.keySerializer(), topic.valueSerializer());
    }

    public CompactedStore<String, SkipDecision> store() {
        return store;
    }

    public boolean isSkipped(String consumer, String recordTopic, int partition, long offset) {
        return store.get(SkipDecision.key(consumer, recordTopic, partition, offset)).isPresent();
    }

    /** Writes the decision and waits until the store shows it (read-your-writes): from then on it is durable. */
    public SkipDecision record(SkipDecision decision) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), decision.key(), decision))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            store.whenVisible(decision.key(), Objects::nonNull).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return decision;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while recording " + decision.key(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not record the skip decision " + decision.key() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
