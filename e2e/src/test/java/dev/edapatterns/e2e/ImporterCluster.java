package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * N import-app processes on one host in one importer group, as an operator runs them: each with its own HTTP port
 * and its own {@code eventkit.instance-id} (the importer's and the aggregate writer's {@code transactional.id}, the
 * writer's {@code group.instance.id}). An instance is killed with SIGKILL and restarted with the same id and port.
 */
final class ImporterCluster implements AutoCloseable {

    /** The consumer group of the import aggregate's writers: {@code atomic-<store name>} (AtomicStore's default). */
    static final String AGGREGATE_GROUP = "atomic-import-aggregate";
    static final String IMPORTER_GROUP = "importer";

    private final Map<String, String> config;
    private final KafkaClients kafka;
    /** Replaced on restart (from another thread); a killed instance's entry is dead until its restart returns. */
    private final AtomicReferenceArray<RunningApp> apps;
    private final String[] instanceIds;
    private final int[] ports;
    private final Admin admin;

    /**
     * @param prefix instance ids are {@code <prefix>-1 .. <prefix>-n}
     * @param config extra system properties for every instance (e.g. {@code import.jobs.max-rows})
     */
    ImporterCluster(String prefix, int instances, Map<String, String> config) {
        this(prefix, instances, config, TestKafka.clients());
    }

    /** The same on another broker than the test JVM's ({@code kafka} with the fast-failover settings). */
    ImporterCluster(String prefix, int instances, Map<String, String> config, KafkaClients kafka) {
        this.config = config;
        this.kafka = kafka;
        this.admin = Admin.create(kafka.admin());
        this.apps = new AtomicReferenceArray<>(instances);
        this.instanceIds = new String[instances];
        this.ports = new int[instances];
        for (int i = 0; i < instances; i++) {
            instanceIds[i] = prefix + "-" + (i + 1);
            ports[i] = KafkaBroker.freePort();
        }
    }

    /** Starts every instance (in parallel) and waits until both groups are stable with all of them. */
    ImporterCluster start() {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 0; i < apps.length(); i++) {
            int index = i;
            starting.add(CompletableFuture.runAsync(() -> apps.set(index, launch(index))));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        awaitGroupsStable();
        return this;
    }

    int size() {
        return apps.length();
    }

    /** Indexes of the instances running now (a restarting one counts once its restart returned). */
    List<Integer> live() {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < apps.length(); i++) {
            if (isLive(i)) {
                live.add(i);
            }
        }
        return live;
    }

    private boolean isLive(int index) {
        RunningApp app = apps.get(index);
        return app != null && app.isAlive();
    }

    String instanceId(int index) {
        return instanceIds[index];
    }

    RunningApp app(int index) {
        return apps.get(index);
    }

    /** The URL of a live instance (any one answers for every import: the aggregate view reads the whole store). */
    String anyUrl() {
        List<Integer> live = live();
        if (live.isEmpty()) {
            throw new IllegalStateException("no live import-app instance");
        }
        return apps.get(live.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(live.size()))).url();
    }

    /** {@code kill -9} of one instance; it stays down until {@link #restart}. */
    void kill(int index) {
        log("kill -9 %s", instanceIds[index]);
        apps.get(index).kill();
    }

    /**
     * SIGTERM to one instance (a graceful shutdown: Quarkus stops its channels and closes its clients); true when
     * it exited by itself within {@code grace} (else it is killed). It stays down until {@link #restart}.
     */
    boolean terminate(int index, Duration grace) {
        log("SIGTERM %s", instanceIds[index]);
        return apps.get(index).terminate(grace);
    }

    /** Starts a killed instance again with the same instance id and port (fences its zombie's transactions). */
    void restart(int index) {
        long t0 = System.nanoTime();
        apps.set(index, launch(index));
        log("%s restarted in %d ms", instanceIds[index], TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private RunningApp launch(int index) {
        Map<String, String> props = new HashMap<>(config);
        props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        props.put("eventkit.instance-id", instanceIds[index]);
        // a dead member is noticed in ~6 s; transaction.timeout.ms stays at Kafka's default (60 s) on purpose: a
        // killed instance's open transactions must be fenced by its restart, not by the broker's timeout, or every
        // read_committed reader of the partitions they touched would stall for a minute
        props.put("kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"));
        props.put("kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"));
        // one job per importer transaction (the default is a poll's worth): more, shorter transactions, so the kills and
        // SIGTERMs of these tests land between and inside jobs rather than after an import that is already done
        props.putIfAbsent("import.importer.max-poll-jobs", "1");
        return RunningApp.start("import-app", "import-app-" + instanceIds[index], ports[index], props);
    }

    /**
     * Waits until every instance runs and is at work: the importer group is stable with exactly the importer workers
     * of the live instances as members (told apart by their client.id), the aggregate writers' group is stable with exactly the
     * live instances as static members (earlier test classes' members, gone without leaving, drop out after their
     * session timeout), everyone owns partitions, and each instance's writer has loaded its partitions.
     */
    void awaitGroupsStable() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Integer> live = live();
            if (live.size() != size()) {
                return false;
            }
            Set<String> importers = new HashSet<>();
            Set<String> writers = new HashSet<>();
            for (int i : live) {
                importers.addAll(importerClientIds(i));
                writers.add(writerInstanceId(i));
            }
            ConsumerGroupDescription importer = describe(IMPORTER_GROUP);
            ConsumerGroupDescription aggregate = describe(AGGREGATE_GROUP);
            return importer.groupState() == GroupState.STABLE && aggregate.groupState() == GroupState.STABLE
                    && importers.equals(importer.members().stream().map(MemberDescription::clientId).collect(Collectors.toSet()))
                    && writers.equals(aggregate.members().stream().map(m -> m.groupInstanceId().orElse("dynamic"))
                            .collect(Collectors.toSet()))
                    && importer.members().size() == live.size() * importerWorkers() && aggregate.members().size() == live.size()
                    && importer.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
                    && aggregate.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
                    && live.stream().allMatch(i -> ownedPartitions(i) > 0);
        });
    }

    /**
     * Waits until both groups consumed everything committed for them and no transaction is open on their topics:
     * from then on the instances write nothing more (they write only in reaction to those records).
     */
    void awaitCaughtUp() {
        CaughtUp.await(kafka, List.of(IMPORTER_GROUP, AGGREGATE_GROUP));
    }

    /** {@code import.importer.workers}: importer group members per instance. */
    int importerWorkers() {
        return Integer.parseInt(config.getOrDefault("import.importer.workers", "2"));
    }

    /**
     * The client.id, also the transactional.id, of each importer worker of an instance
     * ({@code import-app-importer-<instance>-<worker>}): the group's members can be told apart.
     */
    List<String> importerClientIds(int index) {
        return java.util.stream.IntStream.range(0, importerWorkers())
                .mapToObj(w -> "import-app-importer-" + instanceIds[index] + "-" + w).toList();
    }

    /** The aggregate writer's transactional.id and group.instance.id of an instance. */
    String writerInstanceId(int index) {
        return "import-app-import-aggregate-" + instanceIds[index];
    }

    private int ownedPartitions(int index) {
        try {
            return writerStats(index).path("partitions").asInt();
        } catch (RuntimeException e) { // starting up
            return 0;
        }
    }

    ConsumerGroupDescription describe(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe group " + group, e);
        }
    }

    /** Every transactional.id the broker knows (open, committed or aborted transactions, and idle producers). */
    Set<String> transactionalIds() {
        try {
            return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.clients.admin.TransactionListing::transactionalId).collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("cannot list transactions", e);
        }
    }

    /**
     * How many partitions the open transaction of one of the instance's upload producers
     * ({@code import-app-jobs-<instance>-<slot>}) has touched; 0 when none is open, -1 when not known.
     */
    int uploadTransactionPartitions(int index) {
        String prefix = "import-app-jobs-" + instanceIds[index] + "-";
        try {
            List<String> open = admin.listTransactions(new org.apache.kafka.clients.admin.ListTransactionsOptions()
                    .filterStates(List.of(org.apache.kafka.clients.admin.TransactionState.ONGOING)))
                    .all().get(30, TimeUnit.SECONDS).stream().map(t -> t.transactionalId())
                    .filter(id -> id.startsWith(prefix)).toList();
            if (open.isEmpty()) {
                return 0;
            }
            return admin.describeTransactions(open).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToInt(d -> d.topicPartitions().size()).max().orElse(0);
        } catch (Exception e) {
            // committed between the list and the describe, or the broker busy: not known, never "none open"
            return -1;
        }
    }

    /** The partition of {@code import.aggregate.commands} an import's commands go to (Kafka's default partitioner). */
    static int aggregatePartition(String importId) {
        byte[] key = importId.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % Topics.IMPORT_AGGREGATE_COMMANDS.partitions();
    }

    /**
     * The instance whose aggregate writer owns the import's command partition now (its transactional.id and
     * group.instance.id are {@code import-app-import-aggregate-<instance-id>}), once the group is stable and the
     * owner is a running instance (a killed static member keeps its partitions until its session times out).
     */
    int aggregateOwner(String importId) {
        int[] owner = { -1 };
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> (owner[0] = currentAggregateOwner(importId)) >= 0);
        return owner[0];
    }

    /** {@link #aggregateOwner} as the group says right now: -1 while it rebalances or the owner is not running. */
    int currentAggregateOwner(String importId) {
        TopicPartition tp = new TopicPartition(Topics.IMPORT_AGGREGATE_COMMANDS.name(), aggregatePartition(importId));
        ConsumerGroupDescription d = describe(AGGREGATE_GROUP);
        if (d.groupState() != GroupState.STABLE) {
            return -1;
        }
        for (MemberDescription m : d.members()) {
            Optional<String> id = m.groupInstanceId();
            if (id.isPresent() && m.assignment().topicPartitions().contains(tp)) {
                for (int i = 0; i < instanceIds.length; i++) {
                    if (id.get().equals(writerInstanceId(i)) && isLive(i)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The committed offset of the aggregate writers' group on a command partition (-1: none yet). */
    long aggregateCommittedOffset(int partition) {
        TopicPartition tp = new TopicPartition(Topics.IMPORT_AGGREGATE_COMMANDS.name(), partition);
        try {
            var offsets = admin.listConsumerGroupOffsets(AGGREGATE_GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            var om = offsets.get(tp);
            return om == null ? -1 : om.offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list offsets of " + AGGREGATE_GROUP, e);
        }
    }

    /** This instance's aggregate writer counters from {@code GET /ops/stores} (applied, duplicates, rejected, ...). */
    JsonNode writerStats(int index) {
        Http.Response r = apps.get(index).ops("/ops/stores");
        if (r.status() != 200) {
            throw new IllegalStateException("/ops/stores of " + instanceIds[index] + ": " + r.status() + " " + r.body());
        }
        for (JsonNode store : r.json()) {
            if (Topics.IMPORT_AGGREGATE_STORE.name().equals(store.path("topic").asText()) && store.hasNonNull("writer")) {
                return store.get("writer");
            }
        }
        throw new IllegalStateException("no aggregate writer in /ops/stores of " + instanceIds[index] + ": " + r.body());
    }

    static void log(String format, Object... args) {
        System.out.printf("%s %s%n", LocalTime.now(), String.format(format, args));
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int i = 0; i < apps.length(); i++) {
            RunningApp app = apps.get(i);
            if (app != null) {
                stopping.add(CompletableFuture.runAsync(app::close));
            }
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        admin.close(Duration.ofSeconds(5));
    }
}
