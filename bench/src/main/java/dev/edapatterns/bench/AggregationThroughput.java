package dev.edapatterns.bench;

import static dev.edapatterns.bench.BenchMachine.cpuSeconds;
import static dev.edapatterns.bench.AggregationBenchmark.log;
import static dev.edapatterns.bench.AggregationBenchmark.median;
import static dev.edapatterns.bench.AggregationBenchmark.round;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.edapatterns.bench.AggregationCounter.Add;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.AtomicStoreStats;
import dev.edapatterns.eventkit.store.StoredState;

/**
 * P6 (b): the atomic store alone. A commands topic (6 partitions) is filled with {@code keys x commandsPerKey}
 * commands (default 10,000 x 100 = 1,000,000; keys are UUIDs like import ids, command ids {@code <key>:<seq>} like
 * the importer's), then, in this JVM (the broker is its own process), per repetition:
 * <ul>
 * <li>baseline: a plain {@code KafkaConsumer} in a fresh group, {@code read_committed}, {@code max.poll.records=2000}
 * (the writer's), deserializing every command and counting per key in a {@code HashMap}, {@code commitSync()} after
 * every poll (at-least-once);</li>
 * <li>an {@link AtomicStore} with the {@link AggregationCounter} reducer, a fresh store topic and group, started after
 * the fill: time from {@code start()} until {@code stats().applied()} reaches the total; per partition, until the
 * group's committed offset reached the partition's end (polled every 100 ms). Then how long its own view (the store
 * topic read back, as every instance does) needs to show every key with all its commands, and a check of every
 * state.</li>
 * </ul>
 * Two fill orders: {@code interleaved} (round-robin over the keys: a polled batch touches ~one command per key, so
 * nearly every command costs a state write - many aggregates in flight at once) and {@code grouped} (each key's
 * commands back to back: a batch touches ~20 keys - one aggregate at a time).
 */
final class AggregationThroughput {

    private static final int MAX_POLL_RECORDS = 2000; // AtomicWriter's

    private final String kafka;
    private final long brokerPid;
    private final int keys;
    private final int perKey;
    private final int reps;
    private final List<String> orders;
    private final List<String> variants;
    private final KafkaClients clients;
    private final long total;
    private final String[] keyNames;

    /**
     * @param variants writer configurations: {@code default} (the app's producer settings: no compression) and
     *                 {@code lz4} ({@code compression.type=lz4} in the clients' base config, as {@code kafka.compression.type}
     *                 would set it in an app)
     */
    AggregationThroughput(String kafka, long brokerPid, int keys, int perKey, int reps, List<String> orders, List<String> variants) {
        this.kafka = kafka;
        this.brokerPid = brokerPid;
        this.keys = keys;
        this.perKey = perKey;
        this.reps = reps;
        this.orders = orders;
        this.variants = variants;
        this.clients = KafkaClients.of(kafka);
        this.total = (long) keys * perKey;
        this.keyNames = new String[keys];
        for (int k = 0; k < keys; k++) {
            keyNames[k] = UUID.nameUUIDFromBytes(("aggbench-key-" + k).getBytes(StandardCharsets.UTF_8)).toString();
        }
    }

    record Fill(String order, Topic<String, Add> topic, Map<Integer, Long> end, double seconds) {
    }

    record Run(String kind, String order, int rep, double seconds, double secondsFromFirst, Map<Integer, Double> partitionSeconds,
            double cpuSelf, double cpuBroker, double cpuOther, Map<String, Double> threadCpu, Map<String, Object> extra) {
    }

    Map<String, Object> run(List<String> tables) throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        StringBuilder t = new StringBuilder();
        t.append(String.format("P6 (b) atomic store throughput: %,d commands (%,d keys x %d), 6 partitions, one writer thread "
                + "owning all 6; baseline = plain read_committed consumer, HashMap count, commitSync per poll%n", total, keys, perKey));
        t.append(String.format("%-36s %8s %12s %12s %12s %11s %9s %9s %9s%n", "run (median of " + reps + ")", "seconds", "commands/s",
                "per-part min", "per-part avg", "time vs base", "CPU app", "CPU brkr", "CPU other"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("commands", total);
        json.put("keys", keys);
        json.put("commandsPerKey", perKey);
        json.put("partitions", 6);
        json.put("reps", reps);
        json.put("maxPollRecords", MAX_POLL_RECORDS);
        json.put("at", java.time.Instant.now().toString());
        for (String order : orders) {
            Fill fill = fill(order);
            List<Run> baseline = new ArrayList<>();
            Map<String, List<Run>> writers = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                int r = rep;
                baseline.add(gated(attempt -> baseline(fill, r, attempt)));
                for (String variant : variants) {
                    writers.computeIfAbsent(variant, v -> new ArrayList<>()).add(gated(attempt -> writer(fill, r, variant, attempt)));
                }
            }
            double base = median(baseline.stream().map(Run::seconds).toList());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("fillSeconds", round(fill.seconds(), 2));
            o.put("partitionRecords", fill.end());
            o.put("baseline", summary(baseline, fill, base));
            line(t, "baseline consumer, " + order, baseline, fill, base);
            writers.forEach((variant, runs) -> {
                String key = variant.equals("default") ? "atomicStore" : "atomicStore-" + variant;
                o.put(key, summary(runs, fill, base));
                o.put(key + "RateVsBaseline", round(base / median(runs.stream().map(Run::seconds).toList()), 4));
                line(t, (variant.equals("default") ? "AtomicStore writer, " : "AtomicStore writer " + variant + ", ") + order, runs,
                        fill, base);
            });
            json.put(order, o);
            deleteTopic(fill.topic().name());
        }
        t.append("per-part = commands of a partition / time until that partition was done (the one thread serves all 6); CPU app = "
                + "this JVM (client/writer + its view), CPU other = max over the reps of CPU used by processes not of this benchmark\n");
        t.append("target >= 20,000 applied commands/s per partition: see the per-part columns of the AtomicStore rows\n");
        tables.add(t.toString());
        System.out.println();
        System.out.print(t);
        return json;
    }

    interface Attempt {
        Run run(int attempt) throws Exception;
    }

    /** Waits for a quiet machine; repeats a run during which other processes used more than the limit (5 tries). */
    private Run gated(Attempt attempt) throws Exception {
        java.util.function.Supplier<List<Long>> ours = () -> List.of(brokerPid);
        for (int i = 1; ; i++) {
            AggregationBenchmark.awaitQuiet(ours);
            AggregationBenchmark.OtherCpu other = new AggregationBenchmark.OtherCpu(ours).start();
            Run run = attempt.run(i);
            double f = other.fraction();
            if (f <= AggregationBenchmark.maxOtherCpu()) {
                return run;
            }
            if (i == 5) {
                log("WARNING: kept a run during which other processes used %.0f%% of the machine (5th try)", 100 * f);
                return run;
            }
            log("run discarded: other processes used %.0f%% of the machine during it; repeating", 100 * f);
        }
    }

    private void line(StringBuilder t, String name, List<Run> runs, Fill fill, double base) {
        double secs = median(runs.stream().map(Run::seconds).toList());
        Map<Integer, Double> perPart = perPartitionRates(runs, fill);
        double min = perPart.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double avg = perPart.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        t.append(String.format("%-36s %8.2f %,12.0f %,12.0f %,12.0f %10.2fx %8.1fs %8.1fs %8.1fs%n", name, secs, total / secs, min, avg,
                secs / base, median(runs.stream().map(Run::cpuSelf).toList()), median(runs.stream().map(Run::cpuBroker).toList()),
                runs.stream().mapToDouble(Run::cpuOther).max().orElse(0)));
    }

    /** Median over the repetitions, per partition. */
    private Map<Integer, Double> perPartitionRates(List<Run> runs, Fill fill) {
        Map<Integer, Double> rates = new TreeMap<>();
        for (int p : fill.end().keySet()) {
            List<Double> r = new ArrayList<>();
            for (Run run : runs) {
                r.add(fill.end().get(p) / run.partitionSeconds().get(p));
            }
            rates.put(p, median(r));
        }
        return rates;
    }

    private Map<String, Object> summary(List<Run> runs, Fill fill, double baseSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        double secs = median(runs.stream().map(Run::seconds).toList());
        m.put("secondsMedian", round(secs, 3));
        m.put("commandsPerSecond", round(total / secs, 0));
        Map<Integer, Double> perPart = perPartitionRates(runs, fill);
        Map<String, Object> pp = new LinkedHashMap<>();
        perPart.forEach((p, r) -> pp.put(Integer.toString(p), round(r, 0)));
        m.put("perPartitionCommandsPerSecond", pp);
        m.put("perPartitionMin", round(perPart.values().stream().mapToDouble(Double::doubleValue).min().orElse(0), 0));
        m.put("timeVsBaseline", round(secs / baseSeconds, 3));
        List<Map<String, Object>> each = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rep", r.rep());
            e.put("seconds", round(r.seconds(), 3));
            e.put("secondsFromFirstRecord", round(r.secondsFromFirst(), 3));
            e.put("commandsPerSecond", round(total / r.seconds(), 0));
            Map<String, Object> ps = new LinkedHashMap<>();
            r.partitionSeconds().forEach((p, s) -> ps.put(Integer.toString(p), round(s, 2)));
            e.put("partitionSeconds", ps);
            e.put("cpuSecondsThisJvm", round(r.cpuSelf(), 2));
            e.put("cpuSecondsBroker", round(r.cpuBroker(), 2));
            e.put("cpuSecondsOtherProcesses", round(r.cpuOther(), 2));
            if (!r.threadCpu().isEmpty()) {
                e.put("cpuSecondsByThread", r.threadCpu());
            }
            e.putAll(r.extra());
            each.add(e);
        }
        m.put("runs", each);
        return m;
    }

    // --- fill ---------------------------------------------------------------------------------------------------

    private Fill fill(String order) throws Exception {
        Topic<String, Add> topic = AggregationCounter.commands("bench.agg.commands-" + order);
        createTopic(topic);
        log("P6 (b): filling %s with %,d commands (%s)", topic.name(), total, order);
        long t0;
        try (KafkaProducer<String, Add> producer = new KafkaProducer<>(clients.producer(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, "aggbench-fill")), topic.keySerializer(), topic.valueSerializer())) {
            producer.partitionsFor(topic.name());
            Thread.sleep(1000); // leaders of the new topic settle (else a burst of NOT_LEADER_OR_FOLLOWER retries)
            t0 = System.nanoTime();
            if (order.equals("grouped")) {
                for (int k = 0; k < keys; k++) {
                    for (int seq = 1; seq <= perKey; seq++) {
                        send(producer, topic, k, seq);
                    }
                }
            } else if (order.equals("interleaved")) {
                for (int seq = 1; seq <= perKey; seq++) {
                    for (int k = 0; k < keys; k++) {
                        send(producer, topic, k, seq);
                    }
                }
            } else {
                throw new IllegalArgumentException("bench.agg.orders: interleaved or grouped, not " + order);
            }
            producer.flush();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<Integer, Long> end = new TreeMap<>();
        try (Admin admin = Admin.create(clients.admin())) {
            Map<TopicPartition, OffsetSpec> q = new HashMap<>();
            for (int p = 0; p < topic.partitions(); p++) {
                q.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
            admin.listOffsets(q).all().get(30, TimeUnit.SECONDS).forEach((tp, i) -> end.put(tp.partition(), i.offset()));
        }
        if (end.values().stream().mapToLong(Long::longValue).sum() != total) {
            throw new IllegalStateException("fill: end offsets " + end + " do not add up to " + total);
        }
        log("P6 (b): filled in %.1f s; records per partition %s", secs, end);
        return new Fill(order, topic, end, secs);
    }

    private void send(KafkaProducer<String, Add> producer, Topic<String, Add> topic, int k, int seq) {
        String key = keyNames[k];
        producer.send(new ProducerRecord<>(topic.name(), null, key, new Add(key + ":" + seq, seq), new RecordHeaders()));
    }

    private void createTopic(Topic<?, ?> topic) throws Exception {
        try (Admin admin = Admin.create(clients.admin())) {
            admin.createTopics(List.of(new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.topicConfigs())))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    // --- baseline -----------------------------------------------------------------------------------------------

    private Run baseline(Fill fill, int rep, int attempt) throws Exception {
        quiesce();
        String group = "aggbench-baseline-" + fill.order() + "-" + rep + "-" + attempt;
        double cpu0 = cpuSeconds(ProcessHandle.current().pid());
        double broker0 = cpuSeconds(brokerPid);
        AggregationBenchmark.OtherCpu others = new AggregationBenchmark.OtherCpu(() -> List.of(brokerPid)).start();
        long t0 = System.nanoTime();
        long first = -1;
        Map<Integer, Double> partDone = new TreeMap<>();
        Map<String, long[]> counts = new HashMap<>();
        long seen = 0;
        try (KafkaConsumer<String, Add> consumer = new KafkaConsumer<>(clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS, ConsumerConfig.CLIENT_ID_CONFIG, group)),
                fill.topic().keyDeserializer(), fill.topic().valueDeserializer())) {
            consumer.subscribe(List.of(fill.topic().name()));
            while (seen < total) {
                ConsumerRecords<String, Add> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    checkTimeout(t0, "baseline");
                    continue;
                }
                if (first < 0) {
                    first = System.nanoTime();
                }
                for (ConsumerRecord<String, Add> r : records) {
                    long[] c = counts.computeIfAbsent(r.key(), k -> new long[2]);
                    c[0]++;
                    c[1] += r.value().amount();
                    seen++;
                }
                consumer.commitSync();
                double at = (System.nanoTime() - t0) / 1e9;
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, Add>> rs = records.records(tp);
                    if (rs.get(rs.size() - 1).offset() + 1 >= fill.end().get(tp.partition())) {
                        partDone.putIfAbsent(tp.partition(), at);
                    }
                }
            }
        }
        long done = System.nanoTime();
        double cpu = cpuSeconds(ProcessHandle.current().pid()) - cpu0;
        double broker = cpuSeconds(brokerPid) - broker0;
        double other = others.seconds();
        long expectedSum = (long) perKey * (perKey + 1) / 2;
        if (counts.size() != keys || counts.values().stream().anyMatch(c -> c[0] != perKey || c[1] != expectedSum)) {
            throw new IllegalStateException("baseline counted wrong: " + counts.size() + " keys");
        }
        Run run = new Run("baseline", fill.order(), rep, (done - t0) / 1e9, (done - first) / 1e9, partDone, cpu, broker, other,
                Map.of(), Map.of());
        log("P6 (b) baseline %s #%d: %.2f s, %,.0f commands/s (CPU: this JVM %.1f s, broker %.1f s)", fill.order(), rep,
                run.seconds(), total / run.seconds(), cpu, broker);
        return run;
    }

    // --- atomic store -------------------------------------------------------------------------------------------

    private Run writer(Fill fill, int rep, String variant, int attempt) throws Exception {
        String name = "aggbench-counter-" + fill.order() + "-" + variant + "-" + rep + "-" + attempt;
        Topic<String, AggregationCounter> storeTopic = AggregationCounter.store("bench.agg.store-" + fill.order() + "-"
                + variant + "-" + rep + "-" + attempt);
        KafkaClients writerClients = switch (variant) {
            case "default" -> clients;
            case "lz4" -> clients.with(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
            default -> throw new IllegalArgumentException("bench.agg.writer-variants: default or lz4, not " + variant);
        };
        createTopic(storeTopic);
        quiesce();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> threadCpu0 = threadCpu(threads);
        double cpu0 = cpuSeconds(ProcessHandle.current().pid());
        double broker0 = cpuSeconds(brokerPid);
        double gc0 = gcPauseSeconds();
        AggregationBenchmark.OtherCpu others = new AggregationBenchmark.OtherCpu(() -> List.of(brokerPid)).start();
        Map<Integer, Double> partDone = new TreeMap<>();
        long t0 = System.nanoTime();
        long first = -1;
        long loaded = -1;
        AtomicStore<String, AggregationCounter, Add> store = AtomicStore.builder(name, fill.topic(), storeTopic,
                AggregationCounter.REDUCER, Add::commandId).clients(writerClients).transactionalId(name).start();
        try (Admin admin = Admin.create(clients.admin())) {
            long nextOffsets = 0;
            AtomicStoreStats st;
            while (true) {
                st = store.stats();
                long now = System.nanoTime();
                if (loaded < 0 && st.partitions() == fill.end().size()) {
                    loaded = now;
                }
                if (first < 0 && st.applied() > 0) {
                    first = now;
                }
                if (st.applied() >= total) {
                    break;
                }
                if (store.failure() != null) {
                    throw new IllegalStateException("atomic store writer failed", store.failure());
                }
                if (now >= nextOffsets) {
                    committed(admin, "atomic-" + name, fill, partDone, (now - t0) / 1e9);
                    nextOffsets = now + TimeUnit.MILLISECONDS.toNanos(100);
                }
                checkTimeout(t0, "atomic store");
                Thread.sleep(2);
            }
            long done = System.nanoTime();
            double doneAt = (done - t0) / 1e9;
            for (int p : fill.end().keySet()) {
                partDone.putIfAbsent(p, doneAt); // finished between the last offsets poll and now
            }
            Map<String, Double> byThread = threadCpuSince(threads, threadCpu0);
            double cpu = cpuSeconds(ProcessHandle.current().pid()) - cpu0;
            double broker = cpuSeconds(brokerPid) - broker0;
            double gcPauses = gcPauseSeconds() - gc0;
            double other = others.seconds();
            double javaThreads = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
            byThread.put("(JVM: GC, JIT, other)", round(cpu - javaThreads, 2));
            // the view (the store topic read back, as on every instance) until it shows every command of every key
            long expectedSum = (long) perKey * (perKey + 1) / 2;
            long viewDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            Map<String, StoredState<AggregationCounter>> snapshot;
            while (true) {
                snapshot = store.view().snapshot();
                if (snapshot.size() == keys && snapshot.values().stream().allMatch(s -> s.state().count() == perKey)) {
                    break;
                }
                if (System.nanoTime() > viewDeadline) {
                    throw new IllegalStateException("the store view did not show every key with " + perKey + " commands");
                }
                Thread.sleep(50);
            }
            double viewBehind = (System.nanoTime() - done) / 1e9;
            for (StoredState<AggregationCounter> s : snapshot.values()) {
                if (s.state().total() != expectedSum || s.version() != perKey || s.applied().size() != perKey) {
                    throw new IllegalStateException("wrong state: " + s.state() + " version " + s.version());
                }
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("variant", variant);
            extra.put("secondsToPartitionsLoaded", round((loaded - t0) / 1e9, 3));
            extra.put("gcPauseSecondsThisJvm", round(gcPauses, 2));
            extra.put("transactions", st.transactions());
            extra.put("commandsPerTransaction", round((double) st.applied() / st.transactions(), 1));
            extra.put("duplicates", st.duplicates());
            extra.put("rejected", st.rejected());
            extra.put("aborted", st.aborted());
            var viewStats = store.view().stats();
            extra.put("stateRecordsWritten", viewStats.records());
            extra.put("stateRecordsPerCommand", round((double) viewStats.records() / total, 3));
            extra.put("storeTopicBytes", topicBytes(admin, storeTopic.name()));
            extra.put("viewSecondsBehindWriter", round(viewBehind, 2));
            Run run = new Run("atomic-store", fill.order(), rep, doneAt, (done - first) / 1e9, partDone, cpu, broker, other, byThread,
                    extra);
            log("P6 (b) AtomicStore %s %s #%d: %.2f s, %,.0f commands/s, %d transactions (%.0f commands each), %,d state records "
                    + "(%.2f per command, %,d MB), view %.1f s behind; CPU: this JVM %.1f s (GC pauses %.1f s), broker %.1f s; "
                    + "by thread %s", fill.order(), variant, rep, run.seconds(), total / run.seconds(), st.transactions(),
                    (double) st.applied() / st.transactions(), viewStats.records(), (double) viewStats.records() / total,
                    topicBytes(admin, storeTopic.name()) / (1024 * 1024), viewBehind, cpu, gcPauses, broker, byThread);
            return run;
        } finally {
            store.close();
            deleteTopic(storeTopic.name()); // frees ~2 GB of disk and page cache after an interleaved run
        }
    }

    private static void committed(Admin admin, String group, Fill fill, Map<Integer, Double> partDone, double at) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        offsets.forEach((tp, om) -> {
            if (om != null && om.offset() >= fill.end().get(tp.partition())) {
                partDone.putIfAbsent(tp.partition(), at);
            }
        });
    }

    private static long topicBytes(Admin admin, String topic) {
        try {
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
                for (var dir : dirs.values()) {
                    for (var e : dir.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(topic)) {
                            bytes += e.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        } catch (Exception e) {
            return -1;
        }
    }

    private void deleteTopic(String name) {
        try (Admin admin = Admin.create(clients.admin())) {
            admin.deleteTopics(List.of(name)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log("could not delete %s: %s", name, e);
        }
    }

    /** Accumulated collection (pause) time of this JVM's collectors. */
    private static double gcPauseSeconds() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum() / 1000.0;
    }

    private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = threads.getThreadCpuTime(t.getId());
            if (ns >= 0) {
                cpu.put(t.getId(), ns);
            }
        }
        return cpu;
    }

    /** CPU seconds per live thread (by name) since the snapshot; threads under 50 ms left out. */
    private static Map<String, Double> threadCpuSince(ThreadMXBean threads, Map<Long, Long> before) {
        Map<String, Double> byName = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = threads.getThreadCpuTime(t.getId());
            if (ns < 0) {
                continue;
            }
            double secs = (ns - before.getOrDefault(t.getId(), 0L)) / 1e9;
            if (secs >= 0.05) {
                byName.merge(t.getName(), round(secs, 2), Double::sum);
            }
        }
        return byName;
    }

    private static void quiesce() throws InterruptedException {
        System.gc();
        Thread.sleep(1500);
    }

    private static void checkTimeout(long t0, String what) {
        if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(20)) {
            throw new IllegalStateException(what + " did not finish within 20 minutes");
        }
    }
}
