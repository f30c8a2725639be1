package dev.edapatterns.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.bench.KvData.StoreKind;
import dev.edapatterns.bench.KvLoad.Result;
import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * Benchmark P3 (pattern 3): event-kit's {@link CompactedStore} over a compacted topic of N distinct keys with ~100-byte
 * JSON values, against the same-run baseline of a Kafka Streams {@code GlobalKTable} restoring the same topic.
 * <ol>
 * <li>bootstrap: store start -> loaded, vs {@code streams.start()} -> RUNNING (default RocksDB store; in-memory
 * store as an informative second row), each repetition with a fresh store / fresh state dir, interleaved;</li>
 * <li>{@code get} latency with JMH (SampleTime, forked JVM that loads the store in its trial setup);</li>
 * <li>heap bytes per entry (used heap after forced GCs before the start and after the load) vs bytes on the topic;</li>
 * <li>where the bootstrap time goes: the same poll loop fetching only, + deserializing, + the map; and consumer
 * property variants passed to the store.</li>
 * </ol>
 * The broker runs as its own process so its CPU and heap are not in this JVM (2 cores: it shares them, as it
 * would with a co-located app, but not the heap or GC).
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@kv-store   (-Dbench.keys=N -Dbench.reps=N)</pre>
 */
public final class KvStoreBenchmark {

    private static final List<String> BROKER_JVM = List.of("-Xmx1g", "-XX:+UseG1GC");
    private static final List<String> JMH_JVM = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");

    /** A load in a fresh JVM: {@link KvLoad#main} with these options. */
    record ChildRun(String kind, List<String> jvm) {
    }

    private static final String FRESH_COMPACTED = "CompactedStore, G1 -Xms2g -Xmx2g";
    private static final String FRESH_ROCKSDB = "GlobalKTable RocksDB, G1 -Xms2g -Xmx2g";
    private static final Map<String, ChildRun> CHILD_RUNS = new LinkedHashMap<>();
    private static final String GLOBAL_TUNED = "global.consumer.fetch.max.wait.ms=10";
    private static final String VARIANT_CONTROL = "store defaults (control, same phase)";

    static {
        CHILD_RUNS.put(FRESH_COMPACTED, new ChildRun("compacted", List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC")));
        CHILD_RUNS.put(FRESH_ROCKSDB, new ChildRun("rocksdb", List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC")));
        CHILD_RUNS.put("CompactedStore, ParallelGC -Xms2g -Xmx2g", new ChildRun("compacted",
                List.of("-Xms2g", "-Xmx2g", "-XX:+UseParallelGC")));
    }

    private final int keys;
    private final int reps;
    private final Path work;
    private String kafka;
    private String loadBefore;
    /** 1/5/15-minute load averages at the end of each phase: other work on the machine shows here. */
    private final Map<String, String> phaseLoad = new LinkedHashMap<>();

    private KvStoreBenchmark(int keys, int reps, Path work) {
        this.keys = keys;
        this.reps = reps;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int keys = Integer.getInteger("bench.keys", 1_000_000);
        int reps = Integer.getInteger("bench.reps", 3);
        if (keys > 10_000_000) {
            throw new IllegalArgumentException("bench.keys <= 10,000,000 (7-digit keys)");
        }
        Path work = Files.createDirectories(Path.of("target", "bench-kv-store"));
        new KvStoreBenchmark(keys, reps, work).run();
    }

    private void run() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P3 in-memory KV store from a compacted topic: CompactedStore vs GlobalKTable");
        json.put("at", Instant.now().toString());
        json.put("machine", BenchMachine.describe());
        loadBefore = BenchMachine.loadAverage();
        Path data = Files.createTempDirectory(work, "kafka-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, BROKER_JVM)) {
            kafka = broker.bootstrapServers();
            Fill fill = fill();
            System.out.printf("topic %s: %,d keys, 6 partitions, compacted, no compression; key+value %.1f B/entry "
                    + "(+%.1f B schema-version header), %.1f B/entry in the log segments; filled in %.1f s%n",
                    KvData.TOPIC.name(), keys, fill.keyValueBytes() / (double) keys, fill.headerBytes() / (double) keys,
                    fill.logBytes() / (double) keys, secs(fill.took()));

            phase("fill");
            Map<String, Object> storeProps = KvData.consumerProps(kafka);
            // One discarded round first: the first load in a JVM also pays class loading and JIT of the consumer,
            // Jackson and RocksDB paths; whichever contender ran first would pay most of it for both. Fresh-JVM
            // (cold) loads are measured separately below.
            Map<String, Result> warmUp = new LinkedHashMap<>();
            warmUp.put("compactedStoreFirstInJvm", log("warm-up (discarded) CompactedStore, first load in this JVM", 0,
                    compactedOnce(storeProps)));
            warmUp.put("globalKTableRocksDb", log("warm-up (discarded) GlobalKTable RocksDB", 0, globalOnce(StoreKind.ROCKSDB)));
            warmUp.put("globalKTableInMemory", log("warm-up (discarded) GlobalKTable in-memory", 0, globalOnce(StoreKind.IN_MEMORY)));
            List<Result> compacted = new ArrayList<>();
            List<Result> rocks = new ArrayList<>();
            List<Result> memory = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) { // interleaved: page cache, JIT and broker state age alike
                compacted.add(log("CompactedStore", rep, compactedOnce(storeProps)));
                rocks.add(log("GlobalKTable RocksDB", rep, globalOnce(StoreKind.ROCKSDB)));
                memory.add(log("GlobalKTable in-memory", rep, globalOnce(StoreKind.IN_MEMORY)));
            }

            phase("bootstrap repetitions");
            // Where the bootstrap time goes: CompactedStore's poll loop (same consumer settings) doing less.
            Map<String, List<Replay>> breakdown = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                for (Stage stage : Stage.values()) {
                    Replay r = replay(storeProps, stage);
                    breakdown.computeIfAbsent(stage.label, k -> new ArrayList<>()).add(r);
                    System.out.printf("  replay %-63s rep %d: %.2f s%s%n", stage.label, rep, r.seconds(),
                            Double.isNaN(r.heapBytesPerEntry()) ? "" : String.format(", heap %.0f B/entry", r.heapBytesPerEntry()));
                }
            }
            phase("breakdown");
            // The baseline's own fixed cost: the global restore goes partition by partition, and each switch waits for
            // the fetch still parked at the previous partition's end (fetch.max.wait.ms, 500 ms by default).
            List<Result> rocksTuned = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) {
                rocksTuned.add(log("GlobalKTable RocksDB, " + GLOBAL_TUNED, rep, KvLoad.global(kafka, keys, StoreKind.ROCKSDB, work,
                        Map.of(StreamsConfig.globalConsumerPrefix("fetch.max.wait.ms"), 10))));
            }
            phase("tuned GlobalKTable");
            // Consumer settings passed in to the store (the store itself unchanged).
            // Interleaved with the store defaults again (G1 keeps resizing its young generation as the JVM ages).
            Map<String, List<Result>> variants = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                for (Map.Entry<String, Map<String, Object>> v : variants(storeProps).entrySet()) {
                    variants.computeIfAbsent(v.getKey(), k -> new ArrayList<>())
                            .add(log("CompactedStore " + v.getKey(), rep, compactedOnce(v.getValue())));
                }
            }
            phase("consumer variants");
            // Fresh JVM per load: cold start as at an app's start, and the GC's share (other collectors / sizes).
            Map<String, List<Result>> fresh = new LinkedHashMap<>();
            for (int rep = 1; rep <= reps; rep++) {
                for (Map.Entry<String, ChildRun> c : CHILD_RUNS.entrySet()) {
                    fresh.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(log(c.getKey(), rep,
                            child(c.getValue().kind(), c.getValue().jvm(), c.getKey(), rep)));
                }
            }

            phase("fresh JVM loads");
            Jmh jmh = Boolean.parseBoolean(System.getProperty("bench.jmh", "true")) ? jmh() : null;
            phase("JMH");
            report(json, fill, storeProps, warmUp, compacted, rocks, memory, rocksTuned, breakdown, variants, fresh, jmh);
        }
        BenchMachine.deleteRecursively(data);
    }

    // ---------------------------------------------------------------------------------------------------- data

    record Fill(long keyValueBytes, long headerBytes, long logBytes, Duration took) {
    }

    private Fill fill() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(KvData.TOPIC.name(), KvData.TOPIC.partitions(), (short) 1)
                    .configs(KvData.TOPIC.topicConfigs()))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> props = KafkaClients.of(kafka).producer(Map.of("linger.ms", 10, "batch.size", 256 * 1024));
        Serializer<Country> values = KvData.TOPIC.valueSerializer();
        long kv = 0;
        long headerBytes = 0;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < keys; i++) {
                RecordHeaders headers = new RecordHeaders();
                byte[] key = KvData.key(i).getBytes(StandardCharsets.UTF_8);
                byte[] value = values.serialize(KvData.TOPIC.name(), headers, KvData.value(i)); // EventSerializer: JSON + header
                kv += key.length + value.length;
                for (Header h : headers) {
                    headerBytes += h.key().length() + h.value().length;
                }
                producer.send(new ProducerRecord<>(KvData.TOPIC.name(), null, key, value, headers));
            }
            producer.flush();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long logBytes = 0;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (LogDirDescription dir : dirs.values()) {
                    logBytes += dir.replicaInfos().entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(KvData.TOPIC.name()))
                            .mapToLong(e -> e.getValue().size()).sum();
                }
            }
        }
        return new Fill(kv, headerBytes, logBytes, took);
    }

    // ---------------------------------------------------------------------------------------------- bootstrap

    private Result compactedOnce(Map<String, Object> consumerProps) {
        return KvLoad.compacted(kafka, keys, consumerProps);
    }

    private Result globalOnce(StoreKind kind) throws Exception {
        return KvLoad.global(kafka, keys, kind, work);
    }

    /** The same load in a fresh JVM (as at an app's start: cold classes and JIT), {@code jvm} as its options. */
    private Result child(String kind, List<String> jvm, String label, int rep, String... consumerProps) throws IOException {
        List<String> args = new ArrayList<>(List.of(kind, kafka, Integer.toString(keys), work.toString()));
        args.addAll(List.of(consumerProps));
        JavaProcess.Builder b = JavaProcess.builder("kv-load-" + label.replaceAll("[^A-Za-z0-9]+", "-") + "-" + rep,
                KvLoad.class.getName()).clearJvmArgs().args(args.toArray(String[]::new))
                .readyPattern(Pattern.compile(Pattern.quote(KvLoad.RESULT_PREFIX) + "(.*)")).readyTimeout(Duration.ofMinutes(10));
        jvm.forEach(b::jvmArg);
        JavaProcess.Started started = b.start();
        started.process().waitFor(Duration.ofSeconds(60));
        started.process().close();
        return Json.mapper().readValue(started.readyGroup(), Result.class);
    }

    // ---------------------------------------------------------------------------------------------- breakdown

    enum Stage {
        FETCH("fetch only (byte[] records)"),
        DESERIALIZE("fetch + deserialize key and JSON value"),
        MAP("fetch + deserialize + ConcurrentHashMap.put"),
        MAP_PRESIZED("fetch + deserialize + presized ConcurrentHashMap.put"),
        /** Prototype: repeated field values (currency, zone lists) shared instead of one copy per entry. */
        CANONICAL("... + presized + repeated values shared (canonicalized)"),
        /** Prototype: what a store keeping values serialized until first read would do at load. */
        LAZY_VALUES("fetch + key only + presized map.put(key, value bytes)");

        final String label;

        Stage(String label) {
            this.label = label;
        }

        boolean keepsEntries() {
            return compareTo(MAP) >= 0;
        }
    }

    /** A replay: its time and, for the stages that keep the entries, the heap they take per entry. */
    record Replay(double seconds, double heapBytesPerEntry) {
    }

    /** CompactedStore's loop (all partitions, read_committed, max.poll.records 5000, poll(200 ms)) doing only {@code stage}. */
    private Replay replay(Map<String, Object> consumerProps, Stage stage) {
        long before = KvLoad.usedHeapAfterGc();
        long t0 = System.nanoTime();
        Map<String, Object> props = new HashMap<>(consumerProps);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Deserializer<String> keyDes = KvData.TOPIC.keyDeserializer();
        Deserializer<Country> valueDes = KvData.TOPIC.valueDeserializer();
        Map<String, Object> map = stage.compareTo(Stage.MAP_PRESIZED) >= 0 ? new ConcurrentHashMap<>(keys * 4 / 3 + 1)
                : new ConcurrentHashMap<>();
        Map<String, String> sharedStrings = new HashMap<>();
        Map<List<String>, List<String>> sharedLists = new HashMap<>();
        long checksum = 0;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(KvData.TOPIC.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (!end.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    if (stage == Stage.FETCH) {
                        checksum += r.key().length + r.value().length;
                        continue;
                    }
                    String k = keyDes.deserialize(r.topic(), r.headers(), r.key());
                    if (stage == Stage.LAZY_VALUES) {
                        map.put(k, r.value());
                        continue;
                    }
                    Country v = valueDes.deserialize(r.topic(), r.headers(), r.value());
                    if (stage == Stage.DESERIALIZE) {
                        checksum += k.length() + v.code().length();
                    } else if (stage == Stage.CANONICAL) {
                        map.put(k, new Country(v.code(), v.name(), sharedStrings.computeIfAbsent(v.currency(), x -> x),
                                sharedLists.computeIfAbsent(v.timeZones(), List::copyOf)));
                    } else {
                        map.put(k, v);
                    }
                }
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        }
        double took = (System.nanoTime() - t0) / 1e9;
        if (count != keys || (stage.keepsEntries() && map.size() != keys) || checksum < 0) {
            throw new IllegalStateException(stage + ": " + count + " records");
        }
        double heap = stage.keepsEntries() ? (KvLoad.usedHeapAfterGc() - before) / (double) keys : Double.NaN;
        java.lang.ref.Reference.reachabilityFence(map);
        return new Replay(took, heap);
    }

    /** Consumer settings an app could pass to the store (kafka.* properties) without changing the store. */
    private static Map<String, Map<String, Object>> variants(Map<String, Object> base) {
        Map<String, Map<String, Object>> v = new LinkedHashMap<>();
        v.put(VARIANT_CONTROL, base);
        v.put("max.partition.fetch.bytes=8MB, fetch.max.bytes=64MB", with(base,
                Map.of("max.partition.fetch.bytes", 8 << 20, "fetch.max.bytes", 64 << 20)));
        v.put("max.poll.records=500 (client default)", with(base, Map.of("max.poll.records", 500)));
        return v;
    }

    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(base);
        m.putAll(extra);
        return m;
    }

    // ---------------------------------------------------------------------------------------------- JMH

    record Jmh(Statistics compactedSample, Statistics globalSample, Statistics keysOnlySample, Statistics compactedHugePages,
            Statistics compactedHotSet, Statistics compactedNoPreTouch, double compactedOpsPerUs, String forkJvm) {
    }

    /**
     * Forked (one fork per benchmark): the fork loads its store from the broker in {@code @Setup(Level.Trial)}, so
     * the measured JVM holds only the store and JMH, with its own heap and JIT profile.
     */
    private Jmh jmh() throws Exception {
        String cls = KvGetBenchmark.class.getName().replace(".", "\\.");
        Options sample = jmhOptions(List.of()).include(cls + "\\.(compactedStoreGet|compactedStoreGetHotSet|globalKTableGet|lookupKeyOnly)$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.NANOSECONDS).build();
        Options throughput = jmhOptions(List.of()).include(cls + "\\.compactedStoreGet$")
                .mode(Mode.Throughput).timeUnit(TimeUnit.MICROSECONDS).build();
        // Informative: the heap on transparent huge pages (fewer TLB misses on random reads) ...
        Options hugePages = jmhOptions(List.of("-XX:+UseTransparentHugePages")).include(cls + "\\.compactedStoreGet$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.NANOSECONDS).build();
        // ... and without pre-touching the heap: each first write to a page of the young generation is a page fault
        // (in this VM tens of microseconds), which lands in the gets' tail while the allocation front walks the heap.
        Options noPreTouch = jmhOptions(List.of()).jvmArgs(jmhJvm(List.of(), false)).include(cls + "\\.compactedStoreGet$")
                .mode(Mode.SampleTime).timeUnit(TimeUnit.NANOSECONDS).build();
        Collection<RunResult> sampled = new Runner(sample).run();
        Collection<RunResult> thrpt = new Runner(throughput).run();
        Collection<RunResult> thp = new Runner(hugePages).run();
        Collection<RunResult> cold = new Runner(noPreTouch).run();
        return new Jmh(stats(sampled, "compactedStoreGet"), stats(sampled, "globalKTableGet"), stats(sampled, "lookupKeyOnly"),
                stats(thp, "compactedStoreGet"), stats(sampled, "compactedStoreGetHotSet"), stats(cold, "compactedStoreGet"),
                thrpt.iterator().next().getPrimaryResult().getScore(),
                String.join(" ", Stream.of(jmhJvm(List.of(), true)).filter(a -> a.startsWith("-X")).toList()));
    }

    /** The fork's JVM options: {@link #JMH_JVM}, {@code extra}, the heap pre-touched (or not), the broker and keys. */
    private String[] jmhJvm(List<String> extra, boolean preTouch) {
        List<String> forkJvm = new ArrayList<>(JMH_JVM);
        forkJvm.addAll(extra);
        if (preTouch) {
            forkJvm.add("-XX:+AlwaysPreTouch");
        }
        forkJvm.add("-Dbench.bootstrap=" + kafka);
        forkJvm.add("-Dbench.keys=" + keys);
        return forkJvm.toArray(String[]::new);
    }

    private OptionsBuilder jmhOptions(List<String> extraJvm) {
        OptionsBuilder b = new OptionsBuilder();
        b.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .forks(1).threads(1).jvmArgs(jmhJvm(extraJvm, true)).shouldFailOnError(true);
        return b;
    }

    private static Statistics stats(Collection<RunResult> results, String method) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + method)).findFirst()
                .orElseThrow().getPrimaryResult().getStatistics();
    }

    // ---------------------------------------------------------------------------------------------- report

    private void report(Map<String, Object> json, Fill fill, Map<String, Object> storeProps, Map<String, Result> warmUp,
            List<Result> compacted, List<Result> rocks, List<Result> memory, List<Result> rocksTuned,
            Map<String, List<Replay>> breakdown,
            Map<String, List<Result>> variants, Map<String, List<Result>> fresh, Jmh jmh) throws IOException {
        double cMed = medianSeconds(compacted);
        double rMed = medianSeconds(rocks);
        double mMed = medianSeconds(memory);
        double ratio = rMed / cMed;
        double freshRatio = medianSeconds(fresh.get(FRESH_ROCKSDB)) / medianSeconds(fresh.get(FRESH_COMPACTED));
        Result heapRun = compacted.get(compacted.size() - 1); // the last run: same JVM state as the others
        double heapLoaded = heapRun.heapDelta() / (double) keys;
        double heapClosed = (heapRun.heapClosed() - heapRun.heapBefore()) / (double) keys;
        double memHeap = memory.get(memory.size() - 1).heapDelta() / (double) keys;
        double kvPerEntry = fill.keyValueBytes() / (double) keys;
        double logPerEntry = fill.logBytes() / (double) keys;
        boolean bootstrapMet = ratio >= 2.0;
        Boolean getMet = jmh == null ? null : jmh.compactedSample().getPercentile(99) <= 1000;
        String loadAfter = BenchMachine.loadAverage();

        System.out.println();
        System.out.printf("P3 in-memory KV store: %,d keys, ~%.0f B JSON values (%.0f B key+value), 6 partitions, %d reps%n",
                keys, kvPerEntry - KvData.key(0).length(), kvPerEntry, reps);
        System.out.printf("bench JVM %s; broker its own process %s; %d cores; load average before %s, after %s%n",
                BenchMachine.jvmArgs(), String.join(" ", BROKER_JVM), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
        String f = "%-56s %8s %8s %9s %8s  %s%n";
        System.out.printf(f, "bootstrap (same JVM, after a discarded warm-up round)", "median s", "min s", "thread s",
                "GC s", "all runs (s)");
        printRow(f, "CompactedStore bootstrap (start -> loaded)", compacted);
        printRow(f, "GlobalKTable restore, RocksDB (default) (start->RUNNING)", rocks);
        printRow(f, "GlobalKTable restore, in-memory store", memory);
        System.out.printf("%-56s %7.2fx  target >= 2x: %s  (in-memory store: %.2fx)%n",
                "ratio GlobalKTable(RocksDB) / CompactedStore", ratio, bootstrapMet ? "MET" : "MISSED", mMed / cMed);
        printRow(f, "GlobalKTable RocksDB, " + GLOBAL_TUNED, rocksTuned);
        System.out.printf("%-56s %7.2fx  (informative: the baseline without its partition-switch waits)%n",
                "ratio tuned GlobalKTable(RocksDB) / CompactedStore", medianSeconds(rocksTuned) / cMed);
        System.out.printf(f, "bootstrap in a fresh JVM per load (cold, as at app start)", "", "", "", "", "");
        fresh.forEach((k, v) -> printRow(f, k, v));
        System.out.printf("%-56s %7.2fx%n", "ratio fresh JVM GlobalKTable(RocksDB) / CompactedStore", freshRatio);
        if (jmh != null) {
            Statistics c = jmh.compactedSample();
            Statistics g = jmh.globalSample();
            Statistics k = jmh.keysOnlySample();
            String l = "%-56s %8.0f %8.0f %9.0f  %s%n";
            System.out.printf("%-56s %8s %8s %9s  fork: %s%n", "get latency (JMH SampleTime, 1 fork, random keys)", "p50 ns",
                    "p99 ns", "p99.9 ns", jmh.forkJvm());
            System.out.printf(l, "CompactedStore.get", c.getPercentile(50), c.getPercentile(99), c.getPercentile(99.9),
                    String.format("target p99 <= 1000 ns: %s; %.1f ops/us single thread", getMet ? "MET" : "MISSED",
                            jmh.compactedOpsPerUs()));
            Statistics t = jmh.compactedHugePages();
            System.out.printf(l, "CompactedStore.get, heap on transparent huge pages", t.getPercentile(50), t.getPercentile(99),
                    t.getPercentile(99.9), "(informative: + -XX:+UseTransparentHugePages)");
            Statistics n = jmh.compactedNoPreTouch();
            System.out.printf(l, "CompactedStore.get, heap not pre-touched", n.getPercentile(50), n.getPercentile(99),
                    n.getPercentile(99.9), "(informative: first-touch page faults of the young generation in the tail)");
            Statistics h = jmh.compactedHotSet();
            System.out.printf(l, "control: CompactedStore.get on a " + KvGetBenchmark.HOT_KEYS + "-key hot set", h.getPercentile(50),
                    h.getPercentile(99), h.getPercentile(99.9), "(the code path without DRAM misses)");
            System.out.printf(l, "control: harness + reading the caller's key only", k.getPercentile(50), k.getPercentile(99),
                    k.getPercentile(99.9), "(the floor under the gets)");
            System.out.printf(l, "GlobalKTable (RocksDB) store.get", g.getPercentile(50), g.getPercentile(99),
                    g.getPercentile(99.9), "(informative: RocksDB get + JSON deserialize)");
        }
        System.out.printf("%-56s %8.0f  (after the consumer closed: %.0f; values kept as Country records)%n",
                "heap bytes/entry, CompactedStore", heapLoaded, heapClosed);
        System.out.printf("%-56s %8.1f  (log segments %.1f B/entry incl. batch + record overhead and the %.0f B header)%n",
                "serialized key+value bytes/entry", kvPerEntry, logPerEntry, fill.headerBytes() / (double) keys);
        System.out.printf("%-56s %7.1fx%n", "heap / serialized key+value", heapLoaded / kvPerEntry);
        System.out.printf("%-56s %8.0f  (informative: serialized bytes in a TreeMap)%n", "heap bytes/entry, GlobalKTable in-memory",
                memHeap);
        System.out.println("where CompactedStore's bootstrap goes (median s; same poll loop and consumer settings as the store):");
        breakdown.forEach((k, v) -> {
            double heap = median(v.stream().map(Replay::heapBytesPerEntry).toList());
            System.out.printf("  %-54s %8.2f%s%n", k, median(v.stream().map(Replay::seconds).toList()),
                    Double.isNaN(heap) ? "" : String.format("  (heap %.0f B/entry)", heap));
        });
        System.out.printf("  %-54s %8.2f%n", "CompactedStore, store defaults", cMed);
        variants.forEach((k, v) -> System.out.printf("  %-54s %8.2f%n", "CompactedStore, " + k, medianSeconds(v)));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("keys", keys);
        config.put("partitions", KvData.TOPIC.partitions());
        config.put("repetitions", reps);
        config.put("topic", KvData.TOPIC.name() + " (cleanup.policy=compact, replication 1, producer compression none)");
        config.put("value", "contracts Country record written by EventSerializer (JSON + schema-version header)");
        config.put("storeConsumerProps", new java.util.TreeMap<>(storeProps));
        config.put("benchJvm", BenchMachine.jvmArgs());
        config.put("brokerJvm", "own process (KafkaBrokerProcess) " + String.join(" ", BROKER_JVM));
        config.put("globalKTable", "kafka-streams " + org.apache.kafka.common.utils.AppInfoParser.getVersion()
                + ", global-only topology (0 stream threads), Materialized.as(name) = timestamped RocksDB store (default)"
                + " and Stores.inMemoryKeyValueStore; fresh state.dir per run; streams defaults otherwise");
        config.put("loadAverageBefore", loadBefore);
        config.put("loadAverageAfter", loadAfter);
        config.put("loadAverageAfterPhase", phaseLoad);
        json.put("config", config);

        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("keyValueBytesPerEntry", kvPerEntry);
        dataJson.put("headerBytesPerEntry", fill.headerBytes() / (double) keys);
        dataJson.put("logSegmentBytesPerEntry", logPerEntry);
        dataJson.put("fillSeconds", secs(fill.took()));
        json.put("data", dataJson);

        Map<String, Object> boot = new LinkedHashMap<>();
        boot.put("method", "same JVM, one discarded warm-up round, then repetitions interleaved; each with a fresh store"
                + " / fresh state dir; CompactedStore: builder.start() -> awaitLoaded; GlobalKTable: streams.start()"
                + " (blocks for the global restore) -> state RUNNING");
        boot.put("compactedStore", runs(compacted));
        boot.put("globalKTableRocksDb", runs(rocks));
        boot.put("globalKTableInMemory", runs(memory));
        boot.put("ratioRocksDbToCompactedStore", ratio);
        boot.put("ratioInMemoryToCompactedStore", mMed / cMed);
        boot.put("globalKTableRocksDbTuned", Map.of("streamsProps", GLOBAL_TUNED, "result", runs(rocksTuned),
                "ratioToCompactedStore", medianSeconds(rocksTuned) / cMed));
        Map<String, Object> warm = new LinkedHashMap<>();
        warmUp.forEach((k, v) -> warm.put(k, KvLoad.toMap(v)));
        boot.put("warmUpRoundDiscarded", warm);
        Map<String, Object> freshJson = new LinkedHashMap<>();
        fresh.forEach((k, v) -> freshJson.put(k, runs(v)));
        freshJson.put("ratioRocksDbToCompactedStore", freshRatio);
        boot.put("freshJvmPerLoad", freshJson);
        json.put("bootstrap", boot);

        if (jmh != null) {
            Map<String, Object> get = new LinkedHashMap<>();
            get.put("harness", "JMH 1.37, Mode.SampleTime, 3 warmup x 2 s, 5 measurement x 2 s, 1 fork (" + jmh.forkJvm()
                    + ", loads the store from the broker in @Setup(Level.Trial)), 1 thread, random existing keys from "
                    + KvGetBenchmark.LOOKUPS + " pre-built lookup Strings");
            get.put("compactedStore", percentiles(jmh.compactedSample()));
            get.put("compactedStoreThroughputOpsPerMicrosecond", jmh.compactedOpsPerUs());
            get.put("compactedStoreTransparentHugePages", percentiles(jmh.compactedHugePages()));
            get.put("compactedStoreHeapNotPreTouched", percentiles(jmh.compactedNoPreTouch()));
            get.put("controlHotSetOf" + KvGetBenchmark.HOT_KEYS + "Keys", percentiles(jmh.compactedHotSet()));
            get.put("controlLookupKeyOnly", percentiles(jmh.keysOnlySample()));
            get.put("globalKTableRocksDb", percentiles(jmh.globalSample()));
            json.put("get", get);
        }

        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("method", "MemoryMXBean used heap after 3x System.gc() (full GC) before start and after loaded; last run");
        heap.put("compactedStoreBytesPerEntryLoaded", heapLoaded);
        heap.put("compactedStoreBytesPerEntryAfterConsumerClosed", heapClosed);
        heap.put("compactedStoreBytesPerEntryAllRuns", compacted.stream().map(r -> r.heapDelta() / (double) keys).toList());
        heap.put("serializedKeyValueBytesPerEntry", kvPerEntry);
        heap.put("logSegmentBytesPerEntry", logPerEntry);
        heap.put("heapToSerializedRatio", heapLoaded / kvPerEntry);
        heap.put("globalKTableInMemoryBytesPerEntry", memHeap);
        heap.put("globalKTableRocksDbStateDirBytesPerEntry", rocks.get(rocks.size() - 1).stateDirBytes() / (double) keys);
        json.put("heap", heap);

        Map<String, Object> where = new LinkedHashMap<>();
        breakdown.forEach((k, v) -> {
            Map<String, Object> m = seconds(v.stream().map(Replay::seconds).toList());
            double perEntry = median(v.stream().map(Replay::heapBytesPerEntry).toList());
            if (!Double.isNaN(perEntry)) {
                m.put("heapBytesPerEntry", perEntry);
            }
            where.put(k, m);
        });
        Map<String, Object> vs = new LinkedHashMap<>();
        variants.forEach((k, v) -> vs.put(k, runs(v)));
        where.put("compactedStoreConsumerVariants", vs);
        json.put("bootstrapBreakdown", where);

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("bootstrapAtLeast2xFasterThanGlobalKTable", bootstrapMet ? "yes" : "no");
        targets.put("getP99AtMost1Microsecond", getMet == null ? "not measured" : getMet ? "yes" : "no");
        json.put("targets", targets);

        Path out = BenchMachine.results("kv-store.json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
    }

    private static double medianSeconds(List<Result> runs) {
        return median(runs.stream().map(Result::seconds).toList());
    }

    private static void printRow(String format, String name, List<Result> runs) {
        List<Double> s = runs.stream().map(Result::seconds).toList();
        System.out.printf(format, name, String.format("%.2f", median(s)), String.format("%.2f", Collections.min(s)),
                String.format("%.2f", median(runs.stream().map(Result::threadCpuSeconds).toList())),
                String.format("%.2f", median(runs.stream().map(Result::gcSeconds).toList())),
                s.stream().map(x -> String.format("%.2f", x)).toList());
    }

    private static Map<String, Object> runs(List<Result> runs) {
        Map<String, Object> m = seconds(runs.stream().map(Result::seconds).toList());
        m.put("medianLoadingThreadCpuSeconds", median(runs.stream().map(Result::threadCpuSeconds).toList()));
        m.put("medianGcPauseSeconds", median(runs.stream().map(Result::gcSeconds).toList()));
        m.put("runs", runs.stream().map(KvLoad::toMap).toList());
        return m;
    }

    private static Map<String, Object> seconds(List<Double> seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("medianSeconds", median(seconds));
        m.put("minSeconds", Collections.min(seconds));
        m.put("runsSeconds", seconds);
        return m;
    }

    private static Map<String, Object> percentiles(Statistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", "ns");
        m.put("p50", s.getPercentile(50));
        m.put("p90", s.getPercentile(90));
        m.put("p99", s.getPercentile(99));
        m.put("p99.9", s.getPercentile(99.9));
        m.put("p99.99", s.getPercentile(99.99));
        m.put("max", s.getMax());
        m.put("mean", s.getMean());
        m.put("samples", s.getN());
        return m;
    }

    private static Result log(String what, int rep, Result r) {
        System.out.printf("  %-70s rep %d: %6.2f s, loading thread CPU %5.2f s, GC pauses %5.2f s (%d), heap +%,d MB%n", what,
                rep, r.seconds(), r.threadCpuSeconds(), r.gcSeconds(), r.gcCount(), r.heapDelta() >> 20);
        return r;
    }

    private void phase(String name) {
        String load = BenchMachine.loadAverage();
        phaseLoad.put(name, load);
        System.out.printf("  -- %s done; load average %s%n", name, load);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }

}
