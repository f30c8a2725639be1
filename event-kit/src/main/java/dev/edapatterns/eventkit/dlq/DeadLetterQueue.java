package dev.edapatterns.eventkit.dlq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Browsing and redriving one dead-letter topic. Records stay in the topic (Kafka deletes nothing on demand); a
 * redrive re-produces a record to its original topic with key, value (through the queue's {@link RedriveEncoding}) and
 * headers, minus the retry bookkeeping of the failed attempts (so it starts a fresh attempt series) plus
 * {@link #REDRIVE_OF} and {@link #REDRIVEN_AT}. Consumers
 * of the original topic must therefore be idempotent: a redrive may repeat work that did succeed.
 *
 * <p>Not a CDI bean: an app opens one per dead-letter topic and closes it on shutdown.
 */
public final class DeadLetterQueue implements AutoCloseable {

    /** The original topic of a dead letter, stamped at its first failure. */
    public static final String ORIGINAL_TOPIC = "x-original-topic";
    public static final String ORIGINAL_PARTITION = "x-original-partition";
    public static final String ORIGINAL_OFFSET = "x-original-offset";
    public static final String FIRST_FAILURE_AT = "x-first-failure-at";
    public static final String EXCEPTION_CLASS = "x-exception-class";
    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    public static final String ATTEMPTS = "x-attempts";
    public static final String LAST_FAILURE_AT = "x-last-failure-at";
    /** Set on a redriven record: {@code <dlq topic>:<partition>:<offset>} it came from. */
    public static final String REDRIVE_OF = "x-redrive-of";
    public static final String REDRIVEN_AT = "x-redriven-at";

    /** Headers of earlier attempts that must not follow a redriven record (it would count as a retry again). */
    private static final Predicate<String> ATTEMPT_BOOKKEEPING = name -> name.startsWith("delayed-retry-")
            || name.startsWith("dead-letter-") || name.startsWith("deserialization-failure-")
            || name.equals(EXCEPTION_CLASS) || name.equals(EXCEPTION_MESSAGE) || name.equals(ATTEMPTS)
            || name.equals(LAST_FAILURE_AT) || name.equals(ORIGINAL_TOPIC) || name.equals(ORIGINAL_PARTITION)
            || name.equals(ORIGINAL_OFFSET) || name.equals(FIRST_FAILURE_AT) || name.equals(REDRIVE_OF)
            || name.equals(REDRIVEN_AT);

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final String defaultTarget;
    private final KafkaClients clients;
    private final RedriveEncoding encoding;
    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * @param topic         the dead-letter topic
     * @param defaultTarget where a record without {@link #ORIGINAL_TOPIC} goes back to
     * @param encoding      what a redrive writes for a letter's value
     */
    public DeadLetterQueue(KafkaClients clients, String topic, String defaultTarget, RedriveEncoding encoding) {
        this.clients = clients;
        this.topic = topic;
        this.defaultTarget = defaultTarget;
        this.encoding = encoding;
        // plain client: a redrive writes bytes and headers to a topic chosen per record (no channel has a fixed one)
        this.producer = new KafkaProducer<>(clients.producer(Map.of()), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    /**
     * Up to {@code limit} dead letters in (partition, offset) order after the cursor {@code after}
     * ({@code partition:offset}, exclusive; null: from the start).
     */
    public List<DeadLetter> list(int limit, String after) {
        int afterPartition = -1;
        long afterOffset = -1;
        if (after != null && !after.isBlank()) {
            String[] parts = after.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("cursor must be partition:offset");
            }
            afterPartition = Integer.parseInt(parts[0].trim());
            afterOffset = Long.parseLong(parts[1].trim());
        }
        List<DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            for (TopicPartition tp : partitions) {
                if (out.size() >= limit || tp.partition() < afterPartition) {
                    continue;
                }
                long from = tp.partition() == afterPartition ? afterOffset + 1 : 0;
                readRange(consumer, tp, from, ends.get(tp), limit - out.size(), out::add);
            }
        }
        return out;
    }

    /** The dead letter at this position, if the topic has it. */
    public Optional<DeadLetter> get(int partition, long offset) {
        return raw(partition, offset).map(DeadLetterQueue::view);
    }

    /** Re-produces the dead letter at this position to its original topic; empty if there is none there. */
    public Optional<RecordMetadata> redrive(int partition, long offset) {
        return raw(partition, offset).map(this::redrive);
    }

    /** Redrives up to {@code limit} dead letters after the cursor; returns the positions redriven. */
    public List<String> redriveAll(int limit, String after) {
        List<String> done = new ArrayList<>();
        for (DeadLetter letter : list(limit, after)) {
            redrive(letter.partition(), letter.offset()).ifPresent(md -> done.add(letter.position()));
        }
        return done;
    }

    private RecordMetadata redrive(ConsumerRecord<byte[], byte[]> record) {
        ProducerRecord<byte[], byte[]> copy = copyOf(record);
        try {
            return producer.send(copy).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while redriving", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("redrive of " + topic + "-" + record.partition() + "@" + record.offset()
                    + " to " + copy.topic() + " failed: " + e, e);
        }
    }

    /** The record a redrive of this dead letter writes: to its original topic, fresh attempt series, marked as a redrive. */
    ProducerRecord<byte[], byte[]> copyOf(ConsumerRecord<byte[], byte[]> record) {
        String target = header(record, ORIGINAL_TOPIC).orElse(defaultTarget);
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!ATTEMPT_BOOKKEEPING.test(h.key())) {
                headers.add(h);
            }
        }
        headers.add(REDRIVE_OF, (topic + ":" + record.partition() + ":" + record.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(REDRIVEN_AT, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        byte[] value = encoding.encode(target, headers, record.value());
        // same key: the default partitioner puts it back on its key's partition, behind that key's newer records
        return new ProducerRecord<>(target, null, record.key(), value, headers);
    }

    /** The dead letter at this position as stored (bytes and headers), if the topic has it. */
    Optional<ConsumerRecord<byte[], byte[]>> raw(int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = reader()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (partition < 0 || partition >= infos.size() || offset < 0) {
                return Optional.empty();
            }
            TopicPartition tp = new TopicPartition(topic, partition);
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            readRange(consumer, tp, offset, Math.min(end, offset + 1), 1, r -> { }, found::add);
            return found.stream().filter(r -> r.offset() == offset).findFirst();
        }
    }

    private void readRange(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long end, int limit,
            java.util.function.Consumer<DeadLetter> sink) {
        readRange(consumer, tp, from, end, limit, sink, r -> { });
    }

    private void readRange(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long end, int limit,
            java.util.function.Consumer<DeadLetter> sink, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> raw) {
        if (from >= end || limit <= 0) {
            return;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        int taken = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (consumer.position(tp) < end && taken < limit && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(tp)) {
                if (r.offset() >= end || taken >= limit) {
                    break;
                }
                sink.accept(view(r));
                raw.accept(r);
                taken++;
            }
        }
    }

    /**
     * plain client: an operator's page is a bounded read from given offsets, not a subscription. A page reads the
     * partitions one after the other, and the fetch left in flight at the end of one (nothing more to return) holds
     * the next one's first fetch back for fetch.max.wait.ms: 50 ms instead of the default 500 per partition.
     */
    private KafkaConsumer<byte[], byte[]> reader() {
        return new KafkaConsumer<>(clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static DeadLetter view(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetter(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), text(r.key()), text(r.value()),
                headers);
    }

    private static Optional<String> header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? Optional.empty() : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
