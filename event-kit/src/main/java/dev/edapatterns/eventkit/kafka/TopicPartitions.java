package dev.edapatterns.eventkit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/** Partitions of a topic for consumers that assign them all (stores, feeds) rather than join a group. */
public final class TopicPartitions {

    private static final Logger LOG = Logger.getLogger(TopicPartitions.class);

    private TopicPartitions() {
    }

    /**
     * Every partition of {@code topic}; waits (while {@code running}) for a topic that does not exist yet, since its
     * owner may create it a moment after this app starts. Throws {@link WakeupException} when stopped meanwhile.
     */
    public static List<TopicPartition> awaitAll(Consumer<?, ?> consumer, String topic, BooleanSupplier running) {
        boolean warned = false;
        while (running.getAsBoolean()) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException | UnknownTopicOrPartitionException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (!warned) {
                LOG.warnf("Waiting for topic %s to exist", topic);
                warned = true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
        throw new WakeupException();
    }

    /**
     * The last stable offset of every partition of {@code topics} (read_committed: what a transactional reader can
     * reach), each admin call bounded by {@code timeout}.
     */
    public static Map<TopicPartition, Long> committedEnds(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).values()
                .forEach(d -> d.partitions().forEach(p -> specs.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
