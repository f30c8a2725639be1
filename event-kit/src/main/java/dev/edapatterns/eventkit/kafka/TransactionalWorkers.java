package dev.edapatterns.eventkit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;

/**
 * Consume-transform-produce, exactly once, for high-volume transforms: {@code workers} threads in one consumer group,
 * each with its own plain consumer ({@code read_committed}) and its own transactional producer ({@code
 * transactional.id = prefix + worker}, stable, so a restarted instance fences its killed predecessor's open transaction
 * at once). Per poll, everything the handler sends for the polled records and their consumed offsets commit in ONE
 * transaction ({@code sendOffsetsToTransaction} with the consumer's group metadata: a worker that lost its partitions
 * in a rebalance cannot commit them).
 *
 * <p>Why plain clients: a SmallRye channel wraps every outgoing record in a {@code Message} with metadata, context
 * propagation and a {@code Uni}; at thousands of records per transaction that bookkeeping was most of the importer's
 * CPU (benchmark P1's profile), and a channel has one producer, so an instance had one transaction in flight. Here a
 * worker sends serialized bytes straight to its producer and the workers' transactions overlap.
 *
 * <p>A failed batch (handler or broker error) is aborted, its partitions rewound to the batch's first offsets and
 * retried after a bounded backoff; a producer that can no longer abort (fenced, fatal) is replaced by a new one with
 * the same id. A record the handler cannot read must be handled by the handler (e.g. reported downstream): an
 * exception means "retry", never "skip".
 */
public final class TransactionalWorkers implements AutoCloseable {

    /** Handles one consumed record inside the batch's open transaction. */
    @FunctionalInterface
    public interface Handler {
        void handle(ConsumerRecord<byte[], byte[]> record, Transaction tx);
    }

    /** Where a worker is and what it needs. */
    public record Settings(String name, String topic, String groupId, int workers, String transactionalIdPrefix,
            Map<String, ?> consumerOverrides, Map<String, ?> producerOverrides) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
            consumerOverrides = Map.copyOf(consumerOverrides);
            producerOverrides = Map.copyOf(producerOverrides);
        }
    }

    /** The open transaction of one polled batch. */
    public static final class Transaction {
        private final KafkaProducer<byte[], byte[]> producer;
        private final List<Runnable> afterCommit = new ArrayList<>();

        private Transaction(KafkaProducer<byte[], byte[]> producer) {
            this.producer = producer;
        }

        /** Sends {@code value} (serialized with the topic's serializers) with a copy of {@code headers}. */
        public <K, V> void send(Topic<K, V> topic, K key, V value, Header[] headers) {
            RecordHeaders h = new RecordHeaders(headers);
            byte[] k = topic.keySerializer().serialize(topic.name(), h, key);
            byte[] v = topic.valueSerializer().serialize(topic.name(), h, value);
            producer.send(new ProducerRecord<>(topic.name(), null, k, v, h));
        }

        /** Runs once this batch's transaction committed (never when it is aborted): e.g. counters. */
        public void afterCommit(Runnable action) {
            afterCommit.add(action);
        }
    }

    private static final Logger LOG = Logger.getLogger(TransactionalWorkers.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final KafkaClients clients;
    private final Settings settings;
    private final Handler handler;
    private final List<PollLoop<KafkaConsumer<byte[], byte[]>>> loops = new ArrayList<>();

    public TransactionalWorkers(KafkaClients clients, Settings settings, Handler handler) {
        this.clients = clients;
        this.settings = settings;
        this.handler = handler;
    }

    /** Starts every worker (each joins the group on its first poll). */
    public synchronized TransactionalWorkers start() {
        for (int i = 0; i < settings.workers(); i++) {
            int worker = i;
            Map<String, Object> props = clients.consumer(settings.consumerOverrides());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.name());
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, props.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-" + worker);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            Worker w = new Worker(worker, consumer);
            w.loop = PollLoop.of(settings.name() + "-" + worker, consumer, c -> w.run()).interruptOnClose();
            loops.add(w.loop);
            w.loop.start();
        }
        return this;
    }

    /** Every worker started and none stopped by a failure. */
    public synchronized boolean isAlive() {
        return !loops.isEmpty() && loops.stream().allMatch(PollLoop::isAlive);
    }

    @Override
    public synchronized void close() {
        loops.forEach(PollLoop::close);
    }

    /** One worker's loop: its thread owns its consumer and its producer. */
    private final class Worker {
        private final int index;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private PollLoop<KafkaConsumer<byte[], byte[]>> loop;
        private KafkaProducer<byte[], byte[]> producer;
        private long backoffMs;
        /** A transaction is begun and neither committed nor aborted. */
        private boolean open;

        Worker(int index, KafkaConsumer<byte[], byte[]> consumer) {
            this.index = index;
            this.consumer = consumer;
        }

        void run() throws InterruptedException {
            producer = newProducer();
            try {
                consumer.subscribe(List.of(settings.topic()));
                while (loop.running()) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                    if (!batch.isEmpty()) {
                        process(batch);
                    }
                }
            } finally {
                Thread.interrupted(); // close() interrupts a backoff; the producer's last calls must not see it
                if (open) { // stopped mid-batch: abort now rather than leave read_committed readers waiting for the timeout
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException | IllegalStateException e) {
                        LOG.debugf(e, "%s-%d: abort on close", settings.name(), index);
                    }
                }
                producer.close(Duration.ofSeconds(5));
            }
        }

        private void process(ConsumerRecords<byte[], byte[]> batch) throws InterruptedException {
            Transaction tx = new Transaction(producer);
            try {
                producer.beginTransaction();
                open = true;
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    handler.handle(record, tx);
                }
                // the consumer's positions, not last offset + 1: past a trailing transaction marker, so the lag reaches 0
                producer.sendOffsetsToTransaction(batch.nextOffsets(), consumer.groupMetadata());
                producer.commitTransaction();
                open = false;
            } catch (RuntimeException e) {
                if (!loop.running()) { // closing: the open transaction is aborted by the producer's close
                    return;
                }
                LOG.warnf(e, "%s-%d: a batch of %d records failed; aborted, retried in %d ms", settings.name(), index,
                        batch.count(), Math.max(backoffMs, 100));
                abort();
                rewind(batch);
                backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(100, backoffMs * 2));
                Thread.sleep(backoffMs);
                return;
            }
            backoffMs = 0;
            for (Runnable action : tx.afterCommit) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warnf(e, "%s-%d: an after-commit action failed", settings.name(), index);
                }
            }
        }

        /** Aborts the open transaction; a producer that cannot (fenced or fatal) is replaced by a new one, same id. */
        private void abort() {
            open = false;
            try {
                producer.abortTransaction();
            } catch (KafkaException | IllegalStateException fatal) {
                producer.close(Duration.ZERO);
                producer = newProducer();
            }
        }

        /** Back to the batch's first offsets of the partitions this worker still owns: they are processed again. */
        private void rewind(ConsumerRecords<byte[], byte[]> batch) {
            for (TopicPartition tp : batch.partitions()) {
                if (consumer.assignment().contains(tp)) {
                    consumer.seek(tp, batch.records(tp).get(0).offset());
                }
            }
        }

        private KafkaProducer<byte[], byte[]> newProducer() {
            Map<String, Object> props = clients.transactionalProducer(settings.transactionalIdPrefix() + index,
                    settings.producerOverrides());
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            p.initTransactions();
            return p;
        }
    }
}
