package dev.edapatterns.eventkit.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * "Nothing more will come" as a fact, instead of a settle time: each named consumer group has committed past every
 * committed record of its topics, no transaction is open on them, and their end offsets did not move while this was
 * checked. Apps that write only in reaction to what these groups consume (their outputs commit in the same
 * transaction as the input offsets) write nothing more after that, so a late duplicate cannot appear. Poll
 * {@link #now} with Awaitility.
 */
public final class GroupsCaughtUp {

    private GroupsCaughtUp() {
    }

    /**
     * True when, at one moment, every group has no committed data record left on the partitions of the topics it
     * committed offsets on (a partition without a committed offset counts from its start) and no transaction is open
     * on them.
     */
    public static boolean now(KafkaClients kafka, Collection<String> groups) {
        try (Admin admin = Admin.create(kafka.admin());
             KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(kafka.consumer(Map.of("isolation.level",
                     "read_committed")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = new HashMap<>();
            Set<String> topics = new HashSet<>();
            for (String group : groups) {
                offsets.put(group, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
                offsets.get(group).keySet().forEach(tp -> topics.add(tp.topic()));
            }
            Set<TopicPartition> partitions = new HashSet<>();
            for (TopicDescription t : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                t.partitions().forEach(p -> partitions.add(new TopicPartition(t.name(), p.partition())));
            }
            // per partition the lowest offset of the groups reading its topic (a partition not committed yet: its start)
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.values().forEach(byGroup -> {
                Set<String> itsTopics = byGroup.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet());
                partitions.stream().filter(tp -> itsTopics.contains(tp.topic())).forEach(tp -> {
                    OffsetAndMetadata om = byGroup.get(tp);
                    committed.merge(tp, om == null ? 0L : om.offset(), Math::min);
                });
            });
            Map<TopicPartition, Long> ends = ends(admin, partitions, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, Long> stable = ends(admin, partitions, IsolationLevel.READ_COMMITTED);
            if (!ends.equals(stable)) {
                return false; // a transaction is open on an input: its records (and offsets) are still to come
            }
            Map<TopicPartition, Long> from = new HashMap<>();
            committed.forEach((tp, offset) -> {
                if (offset < ends.get(tp)) {
                    from.put(tp, offset);
                }
            });
            AtomicLong left = new AtomicLong();
            if (!from.isEmpty()) { // what lies between may be transaction markers and aborted records only
                RecordRange.read(reader, from, ends, r -> left.incrementAndGet());
            }
            return left.get() == 0 && ends.equals(ends(admin, partitions, IsolationLevel.READ_UNCOMMITTED));
        } catch (Exception e) {
            return false; // e.g. a group rebalancing or the broker busy: not known to be caught up
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, Set<TopicPartition> partitions, IsolationLevel isolation)
            throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(specs, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
