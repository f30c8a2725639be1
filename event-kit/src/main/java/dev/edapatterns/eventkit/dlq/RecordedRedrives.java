package dev.edapatterns.eventkit.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.kafka.TransactionalProducerPool;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * Redrives of one dead-letter topic that every instance and every operator sees: each redrive writes the copy (see
 * {@link DeadLetterQueue}) and a {@link Redrive} record (who, when, where the copy went; compacted topic, key the
 * letter's position) in <b>one transaction</b>, so a {@code read_committed} reader sees both or neither, whatever
 * crashes in between. The redrive records are read back through a {@link CompactedStore}.
 *
 * <p>A letter redriven before is not redriven again unless forced: the answer is the earlier redrive. Before deciding,
 * the store catches up with the topic (redrives other instances committed count), and redrives of this instance run
 * one at a time. Two instances redriving the same letter in the same instant can both write a copy (no lock across
 * instances); the later record then replaces the earlier, and the copy's consumer must be idempotent anyway.
 */
public final class RecordedRedrives implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What became of one redrive request; {@code redrive} is null for {@link Status#NO_SUCH_LETTER}. */
    public record Result(Status status, Redrive redrive) {
    }

    public enum Status {
        /** Redriven now, as recorded. */
        REDRIVEN,
        /** Redriven before and not forced: nothing written; {@code redrive} is the earlier one. */
        ALREADY_REDRIVEN,
        NO_SUCH_LETTER
    }

    /** A bulk redrive: the letters redriven now and those left alone because they were redriven before. */
    public record Bulk(List<Redrive> redriven, List<Redrive> alreadyRedriven) {
    }

    private final DeadLetterQueue queue;
    private final Topic<String, Redrive> topic;
    private final CompactedStore<String, Redrive> store;
    /** One slot: one redrive transaction at a time (redrives are operator actions, not a hot path). */
    private final TransactionalProducerPool producer;

    /**
     * @param transactionalId stable per process (e.g. app, purpose and instance id): a restarted instance fences the
     *                        producer of its killed predecessor and aborts its open transaction at once
     */
    public RecordedRedrives(DeadLetterQueue queue, Topic<String, Redrive> topic, CompactedStore<String, Redrive> store,
            KafkaClients clients, String transactionalId) {
        this.queue = queue;
        this.topic = topic;
        this.store = store;
        this.producer = new TransactionalProducerPool(clients, transactionalId, 1, Map.of());
    }

    public DeadLetterQueue queue() {
        return queue;
    }

    /** The latest redrive of the letter at this position as this instance knows it now (no broker round trip). */
    public Optional<Redrive> of(int partition, long offset) {
        return store.get(Redrive.key(queue.topic(), partition, offset));
    }

    /**
     * Redrives the letter at this position and records it, unless it was redriven before and {@code force} is false.
     *
     * @param principal the operator, recorded as {@code redrivenBy}
     */
    public synchronized Result redrive(int partition, long offset, String principal, boolean force) {
        await(store.caughtUp());
        Optional<Redrive> earlier = of(partition, offset);
        if (earlier.isPresent() && !force) {
            return new Result(Status.ALREADY_REDRIVEN, earlier.get());
        }
        Optional<ConsumerRecord<byte[], byte[]>> letter = queue.raw(partition, offset);
        if (letter.isEmpty()) {
            return new Result(Status.NO_SUCH_LETTER, null);
        }
        int count = earlier.map(Redrive::redrives).orElse(0) + 1;
        AtomicReference<Redrive> written = new AtomicReference<>();
        producer.inTransaction(p -> {
            // the copy's position goes into the record: known once the broker appended it, visible only at commit
            RecordMetadata copy = await(p.send(queue.copyOf(letter.get())));
            Redrive redrive = new Redrive(queue.topic(), partition, offset, principal, Instant.now(), copy.topic(),
                    copy.partition(), copy.offset(), count);
            RecordHeaders headers = new RecordHeaders();
            byte[] value = topic.valueSerializer().serialize(topic.name(), headers, redrive);
            await(p.send(new ProducerRecord<>(topic.name(), null, redrive.key().getBytes(StandardCharsets.UTF_8), value,
                    headers)));
            written.set(redrive);
        });
        Redrive redrive = written.get();
        // read-your-writes: from this answer on, this instance lists the letter as redriven
        await(store.whenVisible(redrive.key(), r -> r != null && r.toTopic().equals(redrive.toTopic())
                && r.toPartition() == redrive.toPartition() && r.toOffset() == redrive.toOffset()));
        return new Result(Status.REDRIVEN, redrive);
    }

    /** Redrives up to {@code limit} letters after the cursor ({@code partition:offset}, exclusive; null: from the start). */
    public Bulk redriveAll(int limit, String after, String principal, boolean force) {
        List<Redrive> redriven = new ArrayList<>();
        List<Redrive> before = new ArrayList<>();
        for (DeadLetter letter : queue.list(limit, after)) {
            Result result = redrive(letter.partition(), letter.offset(), principal, force);
            switch (result.status()) {
                case REDRIVEN -> redriven.add(result.redrive());
                case ALREADY_REDRIVEN -> before.add(result.redrive());
                case NO_SUCH_LETTER -> { } // deleted by retention meanwhile
            }
        }
        return new Bulk(redriven, before);
    }

    private <T> T await(Future<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("redrive of a letter of " + queue.topic() + " failed: " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
