package dev.edapatterns.eventkit.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.contracts.EventSerializer;

/**
 * Work done once per cluster (a seed), safe when instances start together: every instance attempts it with the SAME
 * transactional.id, and what it writes is ONE transaction.
 * <ol>
 * <li>{@code initTransactions()} fences any other attempt with this id (its open transaction is aborted, or it
 * finishes first): from here on this attempt is the only one that can commit;</li>
 * <li>the work reads committed state ({@link Attempt#anyCommitted}, read_committed) to decide what to write, then
 * writes it ({@link Attempt#send}); the transaction begins at the first send and commits when the work returns.</li>
 * </ol>
 * An attempt fenced by a later one writes nothing and answers empty: the later one decides again, after this one's open
 * transaction was aborted, so nothing this one wrote ever counts as committed.
 *
 * <p>plain clients: the shared transactional.id that does the fencing, and reads of a topic to its end without a group,
 * are what no channel offers.
 */
public final class FencedTransaction {

    /** What one attempt decides and writes; its answer is {@link #run}'s. */
    @FunctionalInterface
    public interface Work<R> {
        R write(Attempt attempt);
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final String transactionalId;

    public FencedTransaction(KafkaClients clients, String transactionalId) {
        this.clients = clients;
        this.transactionalId = transactionalId;
    }

    /** Runs the work in one attempt; empty when another attempt with the same id took over meanwhile. */
    public <R> Optional<R> run(Work<R> work) {
        Map<String, Object> props = new HashMap<>(clients.transactionalProducer(transactionalId, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all")));
        KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<>());
        Duration closeTimeout = CLOSE_TIMEOUT;
        try {
            producer.initTransactions();
            Attempt attempt = new Attempt(producer);
            R answer = work.write(attempt);
            if (attempt.begun) {
                producer.commitTransaction();
            }
            return Optional.ofNullable(answer);
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // nothing of a fenced producer can be delivered any more (the broker aborted its transaction): a plain
            // close would wait out the request timeout (30 s) for its rejected sends, and the instance's readiness with it
            closeTimeout = Duration.ZERO;
            return Optional.empty();
        } finally {
            producer.close(closeTimeout);
        }
    }

    /** Whether the topic holds a committed record matching {@code wanted} (read from the start to the end, no group). */
    public boolean anyCommitted(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        Map<String, Object> props = new HashMap<>(clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet)");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT); // read_committed: stable end
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(r)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** One attempt, after it fenced the earlier ones: reads committed state, writes into its transaction. */
    public final class Attempt {
        private final KafkaProducer<String, Object> producer;
        private boolean begun;

        private Attempt(KafkaProducer<String, Object> producer) {
            this.producer = producer;
        }

        /** {@link FencedTransaction#anyCommitted}, read after this attempt fenced the others. */
        public boolean anyCommitted(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
            return FencedTransaction.this.anyCommitted(topic, wanted);
        }

        /** Into this attempt's transaction (begun at the first send), serialized as the event catalog's JSON. */
        public void send(String topic, String key, Object value) {
            if (!begun) {
                producer.beginTransaction();
                begun = true;
            }
            producer.send(new ProducerRecord<>(topic, key, value));
        }
    }
}
