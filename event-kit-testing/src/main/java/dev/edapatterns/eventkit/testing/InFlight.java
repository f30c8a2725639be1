package dev.edapatterns.eventkit.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Work the broker shows is still under way: transactions not yet committed or aborted, and committed records that a
 * consumer group with members has not consumed yet (a rebalancing group counts as busy). Every record the apps
 * produce comes from a request (answered before a test goes on), a consumer group or a transaction, so when
 * {@link #describe} finds none of these, whatever earlier steps set in motion has run to its end; waiting for that
 * replaces waiting for a stretch of silence. Groups without members are left out: nobody consumes for them.
 *
 * <p>{@link #caughtUp} asks the same about named groups, members or not (processes killed and restarted meanwhile), on
 * any broker: the e2e tests' "nothing more will come" before they assert that nothing more happened.
 */
public final class InFlight {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Set<GroupState> IDLE_OR_WORKING = Set.of(GroupState.EMPTY, GroupState.DEAD, GroupState.STABLE);

    private InFlight() {
    }

    /** Waits until nothing is in flight on the test broker; fails naming what still was after {@code timeout}. */
    public static void awaitNone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            String busy;
            while (!(busy = describe(admin)).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("still in flight after " + timeout + ": " + busy);
                }
                Thread.sleep(POLL.toMillis()); // the poll interval of a wait on a fact, like Awaitility's
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is in flight now, one item per open transaction's partition or group backlog; empty when nothing. */
    public static String describe() {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            return describe(admin);
        }
    }

    /** Committed records of {@code topic} that {@code group} has not consumed (past its committed offsets). */
    public static long backlog(String group, String topic) {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            List<TopicPartition> partitions = partitions(admin, Set.of(topic));
            return backlog(TestKafka.clients(), admin, group, partitions,
                    offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED))
                    .values().stream().mapToLong(Long::longValue).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    /**
     * True when, at one moment, each named group has consumed every committed record of the topics it committed
     * offsets on (a partition it never committed on counts from its start, for that group only), no transaction is
     * open on those topics, and their end offsets did not move while this was checked. Apps that write only in
     * reaction to what these groups consume then write nothing more. False when not known (a group rebalancing, the
     * broker busy): poll it with Awaitility.
     */
    public static boolean caughtUp(KafkaClients kafka, Collection<String> groups) {
        try (Admin admin = Admin.create(kafka.admin())) {
            Map<String, Set<String>> topicsOf = new HashMap<>();
            for (String group : groups) {
                topicsOf.put(group, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet()));
            }
            List<TopicPartition> partitions = partitions(admin,
                    topicsOf.values().stream().flatMap(Set::stream).collect(Collectors.toSet()));
            Map<TopicPartition, Long> written = offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, Long> stable = offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
            if (!written.equals(stable)) {
                return false; // a transaction is open on an input: its records (and offsets) are still to come
            }
            for (String group : groups) {
                List<TopicPartition> its = partitions.stream().filter(tp -> topicsOf.get(group).contains(tp.topic())).toList();
                if (!backlog(kafka, admin, group, its, stable).isEmpty()) {
                    return false;
                }
            }
            return written.equals(offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED));
        } catch (Exception e) {
            return false;
        }
    }

    private static String describe(Admin admin) {
        List<String> busy = new ArrayList<>();
        try {
            List<TopicPartition> partitions = partitions(admin, admin.listTopics().names().get(30, TimeUnit.SECONDS));
            // the last stable offset stops at the first record of a transaction still open, the high watermark does not
            Map<TopicPartition, Long> stable = offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> written = offsets(admin, partitions, OffsetSpec.latest(), IsolationLevel.READ_UNCOMMITTED);
            partitions.stream().filter(tp -> stable.get(tp) < written.get(tp))
                    .forEach(tp -> busy.add("open transaction on " + tp));
            for (ConsumerGroupDescription group : groups(admin)) {
                if (!IDLE_OR_WORKING.contains(group.groupState())) {
                    busy.add("group " + group.groupId() + " " + group.groupState());
                } else if (!group.members().isEmpty()) {
                    backlog(TestKafka.clients(), admin, group.groupId(), assigned(group.members()), stable)
                            .forEach((tp, n) -> busy.add("group " + group.groupId() + " has " + n + " to consume on " + tp));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot look at the groups and transactions of the test broker", e);
        }
        return String.join(", ", busy);
    }

    /**
     * Counts committed data records after the group's committed offset (from the start without one): with
     * transactions the last offsets are markers, which a committed offset never passes, so offsets alone would
     * show a lag that is not there. Offsets of an open offset commit are not visible yet: the older ones count.
     */
    private static Map<TopicPartition, Long> backlog(KafkaClients kafka, Admin admin, String group,
            Collection<TopicPartition> partitions, Map<TopicPartition, Long> stable) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> from = new HashMap<>();
        List<TopicPartition> uncommitted = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = committed.get(tp);
            if (!stable.containsKey(tp)) {
                continue; // a topic deleted since the group was assigned it: nothing left to consume
            } else if (om == null) {
                uncommitted.add(tp);
            } else if (om.offset() < stable.get(tp)) {
                from.put(tp, om.offset());
            }
        }
        offsets(admin, uncommitted, OffsetSpec.earliest(), IsolationLevel.READ_COMMITTED).forEach((tp, first) -> {
            if (first < stable.get(tp)) {
                from.put(tp, first);
            }
        });
        Map<TopicPartition, Long> counts = new HashMap<>();
        if (!from.isEmpty()) {
            Map<TopicPartition, Long> to = new HashMap<>();
            from.keySet().forEach(tp -> to.put(tp, stable.get(tp)));
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumer(
                    RecordRange.reader("read_committed")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                RecordRange.read(consumer, from, to, r -> counts.merge(new TopicPartition(r.topic(), r.partition()), 1L, Long::sum));
            }
        }
        return counts;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec,
            IsolationLevel isolation) throws Exception {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static Collection<ConsumerGroupDescription> groups(Admin admin) throws Exception {
        List<String> ids = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId).toList();
        return ids.isEmpty() ? List.of() : admin.describeConsumerGroups(ids).all().get(30, TimeUnit.SECONDS).values();
    }

    private static Set<TopicPartition> assigned(Collection<MemberDescription> members) {
        Set<TopicPartition> out = new HashSet<>();
        members.forEach(m -> out.addAll(m.assignment().topicPartitions()));
        return out;
    }

    private static List<TopicPartition> partitions(Admin admin, Collection<String> topics) throws Exception {
        // listTopics leaves the internal topics out
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        return described.values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition()))).toList();
    }
}
