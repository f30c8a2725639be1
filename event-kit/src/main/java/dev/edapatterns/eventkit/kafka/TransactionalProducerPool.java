package dev.edapatterns.eventkit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A fixed pool of transactional producers with stable ids ({@code prefix + slot}), for writers that run several
 * transactions at once (e.g. concurrent uploads). Why plain clients: a producer has one open transaction at a time,
 * and a SmallRye channel has one producer, so a channel would serialize them all.
 *
 * <p>Every slot is initialised at construction: {@code initTransactions} of a stable id fences the producer of a killed
 * predecessor with the same ids and aborts its open transaction at once, instead of leaving it to hold back
 * {@code read_committed} readers until the broker's {@code transaction.timeout.ms}.
 */
public final class TransactionalProducerPool implements AutoCloseable {

    /** Every producer is busy: the caller's concurrency limit was not kept. */
    public static final class ExhaustedException extends RuntimeException {
        ExhaustedException() {
            super("no free transactional producer");
        }
    }

    private final KafkaClients clients;
    private final String transactionalIdPrefix;
    private final Map<String, ?> overrides;
    private final BlockingQueue<KafkaProducer<byte[], byte[]>> free;
    /** by slot, for replacing a fenced producer with one of the same id */
    private final List<KafkaProducer<byte[], byte[]>> all = new ArrayList<>();

    public TransactionalProducerPool(KafkaClients clients, String transactionalIdPrefix, int size, Map<String, ?> overrides) {
        this.clients = clients;
        this.transactionalIdPrefix = transactionalIdPrefix;
        this.overrides = Map.copyOf(overrides);
        this.free = new ArrayBlockingQueue<>(size);
        for (int slot = 0; slot < size; slot++) {
            free.add(newProducer(slot));
        }
    }

    /**
     * Runs {@code work} inside one transaction of a free producer and commits it. When {@code work} or the commit
     * throws, the transaction is aborted (a fenced or failed producer is replaced by a new one with the same id) and
     * the exception is rethrown: nothing of it was committed.
     */
    public void inTransaction(Consumer<KafkaProducer<byte[], byte[]>> work) {
        KafkaProducer<byte[], byte[]> producer = free.poll();
        if (producer == null) {
            throw new ExhaustedException();
        }
        KafkaProducer<byte[], byte[]> back = producer;
        try {
            producer.beginTransaction();
            work.accept(producer);
            producer.commitTransaction();
        } catch (RuntimeException e) {
            back = abort(producer);
            throw e;
        } finally {
            free.add(back);
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> abort(KafkaProducer<byte[], byte[]> producer) {
        int slot = all.indexOf(producer);
        try {
            producer.abortTransaction();
            return producer;
        } catch (KafkaException | IllegalStateException fatal) { // fenced or fatal: only a new producer with the same id goes on
            producer.close(Duration.ZERO);
            return newProducer(slot);
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> newProducer(int slot) {
        Map<String, Object> props = clients.transactionalProducer(transactionalIdPrefix + slot, overrides);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        if (slot < all.size()) {
            all.set(slot, producer);
        } else {
            all.add(producer);
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        all.forEach(p -> p.close(Duration.ofSeconds(5)));
    }
}
