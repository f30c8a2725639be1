package dev.edapatterns.eventkit.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * "Nothing was produced" as a real assertion: {@link #snapshot} takes the end offsets of every topic; later
 * {@link #newRecords()} reads, with {@code read_committed}, what appeared since and counts only committed data
 * records (aborted records and transaction markers occupy offsets but are not counted).
 */
public final class CommittedRecords {

    private final String bootstrapServers;
    private final Map<TopicPartition, Long> start;

    private CommittedRecords(String bootstrapServers, Map<TopicPartition, Long> start) {
        this.bootstrapServers = bootstrapServers;
        this.start = start;
    }

    public static CommittedRecords snapshot(String bootstrapServers) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            return new CommittedRecords(bootstrapServers, new HashMap<>(consumer.endOffsets(partitions(bootstrapServers))));
        }
    }

    public static CommittedRecords snapshot() {
        return snapshot(TestKafka.bootstrapServers());
    }

    /**
     * A snapshot taken once nothing is {@link InFlight} (no open transaction, every active consumer group has consumed
     * all it can): what earlier tests (or the app's start-up) set in motion has run to its end, so "nothing new since"
     * speaks about the request under test only.
     */
    public static CommittedRecords quietSnapshot(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InFlight.awaitNone(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            CommittedRecords snapshot = snapshot();
            // work that started between the two looks (nothing should): look again
            if (InFlight.describe().isEmpty() && snapshot.newRecords().isEmpty()) {
                return snapshot;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Records kept being committed for " + timeout + ": " + snapshot.newRecords());
            }
        }
    }

    /**
     * {@link #newRecords()} once nothing is {@link InFlight}: everything the steps since the snapshot set in motion,
     * including what consumers derive from it, has been committed by then. "Nothing new" needs no quiet window.
     */
    public Map<String, Long> newRecordsWhenSettled() {
        InFlight.awaitNone(java.time.Duration.ofSeconds(30));
        return newRecords();
    }

    /** Committed records per topic since the snapshot; topics without new records are left out. */
    public Map<String, Long> newRecords() {
        Map<String, Long> counts = new TreeMap<>();
        readNew(r -> counts.merge(r.topic(), 1L, Long::sum));
        return counts;
    }

    /** The committed data records themselves since the snapshot, every topic, raw, headers kept. */
    public List<ConsumerRecord<byte[], byte[]>> newRecordList() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        readNew(records::add);
        return records;
    }

    private void readNew(Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(bootstrapServers);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<TopicPartition> grown = partitions.stream()
                    .filter(tp -> end.get(tp) > start.getOrDefault(tp, 0L)).toList();
            if (grown.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> from = new HashMap<>();
            grown.forEach(tp -> from.put(tp, start.getOrDefault(tp, 0L)));
            RecordRange.read(consumer, from, end, sink);
        }
    }

    public long newRecords(String topic) {
        return newRecords().getOrDefault(topic, 0L);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>(RecordRange.reader("read_committed"));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS); // internal topics are not listed
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            return topics.values().stream()
                    .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .collect(Collectors.toList());
        } catch (Exception e) {
            throw new IllegalStateException("cannot list topics of " + bootstrapServers, e);
        }
    }
}
