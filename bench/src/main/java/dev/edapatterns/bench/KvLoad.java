package dev.edapatterns.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.edapatterns.bench.KvData.StoreKind;
import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.StoreStats;

/**
 * One load of the benchmark topic, measured: a {@link CompactedStore} (start -> loaded) or a GlobalKTable
 * ({@code streams.start()} -> RUNNING), with the loading thread's CPU time, GC time and heap. Used in the benchmark
 * JVM for the repetitions and, through {@link #main}, in a fresh child JVM per load (cold start, GC variants).
 */
public final class KvLoad {

    public static final String RESULT_PREFIX = "KVLOAD ";

    private KvLoad() {
    }

    /**
     * @param seconds         start -> loaded (CompactedStore) or streams.start() -> RUNNING (GlobalKTable)
     * @param threadCpuSeconds CPU time of the loading thread (the store's / the GlobalStreamThread) over the load
     * @param gcSeconds       GC time (sum over collectors, includes concurrent phases for G1) during the load
     * @param heapLoaded      used heap after forced GCs with the store loaded (minus before: the store's heap)
     */
    public record Result(double seconds, double threadCpuSeconds, double processCpuSeconds, double gcSeconds, long gcCount,
            long heapBefore, long heapLoaded, long heapClosed, double internalSeconds, long stateDirBytes) {

        public long heapDelta() {
            return heapLoaded - heapBefore;
        }
    }

    public static Result compacted(String bootstrap, int keys, Map<String, Object> consumerProps) {
        long before = usedHeapAfterGc();
        Meter meter = new Meter();
        CompactedStore<String, Country> store = CompactedStore.builder(KvData.TOPIC.name(), KvData.TOPIC.keyDeserializer(),
                KvData.TOPIC.valueDeserializer()).start(consumerProps);
        if (!store.awaitLoaded(Duration.ofMinutes(10))) {
            throw new IllegalStateException("not loaded within 10 minutes: " + store.stats());
        }
        Meter loaded = meter.stop("compacted-store-");
        StoreStats stats = store.stats();
        if (store.size() != keys || stats.skipped() != 0
                || !KvData.value(keys / 2).equals(store.get(KvData.key(keys / 2)).orElse(null))) {
            throw new IllegalStateException("incomplete store: " + stats);
        }
        long heapLoaded = usedHeapAfterGc();
        store.close(); // the consumer and its fetch buffers go; the entries stay reachable through `store`
        long heapClosed = usedHeapAfterGc();
        Reference.reachabilityFence(store);
        return loaded.result(before, heapLoaded, heapClosed, secs(stats.loadDuration().orElseThrow()), 0);
    }

    public static Result global(String bootstrap, int keys, StoreKind kind, Path work) throws Exception {
        return global(bootstrap, keys, kind, work, Map.of());
    }

    public static Result global(String bootstrap, int keys, StoreKind kind, Path work, Map<String, Object> streamsProps)
            throws Exception {
        Path stateDir = Files.createTempDirectory(work, "streams-");
        AtomicLong restored = new AtomicLong();
        long before = usedHeapAfterGc();
        KafkaStreams streams = KvData.globalTable(bootstrap, "bench-kv-" + kind.name().toLowerCase() + "-"
                + UUID.randomUUID().toString().substring(0, 8), stateDir.toString(), kind, restored, streamsProps);
        try {
            Meter meter = new Meter();
            KvData.startAndAwaitRunning(streams, Duration.ofMinutes(10));
            Meter loaded = meter.stop("-GlobalStreamThread");
            ReadOnlyKeyValueStore<String, Country> view = streams.store(
                    StoreQueryParameters.fromNameAndType(KvData.GLOBAL_STORE, QueryableStoreTypes.keyValueStore()));
            if (restored.get() != keys || !KvData.value(keys / 2).equals(view.get(KvData.key(keys / 2)))) {
                throw new IllegalStateException(kind + ": restored " + restored.get() + " of " + keys);
            }
            long heapLoaded = usedHeapAfterGc(); // RocksDB: off-heap; in-memory: serialized bytes in a TreeMap
            return loaded.result(before, heapLoaded, heapLoaded, Double.NaN, sizeOf(stateDir));
        } finally {
            streams.close(Duration.ofSeconds(30));
            BenchMachine.deleteRecursively(stateDir);
        }
    }

    /** Child JVM: {@code KvLoad <compacted|rocksdb|in_memory> <bootstrap> <keys> <workDir> [consumer.prop=value...]}. */
    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String bootstrap = args[1];
        int keys = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        Map<String, Object> props = new HashMap<>(KvData.consumerProps(bootstrap));
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            props.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Result r = kind.equals("compacted") ? compacted(bootstrap, keys, props)
                : global(bootstrap, keys, StoreKind.valueOf(kind.toUpperCase()), work);
        System.out.println(RESULT_PREFIX + Json.mapper().writeValueAsString(r));
        System.out.flush();
        System.exit(0);
    }

    /** Wall clock, GC and process CPU from construction to {@link #stop}. */
    static final class Meter {
        private final long t0 = System.nanoTime();
        private final long gc0 = gcMillis();
        private final long gcn0 = gcCount();
        private final long cpu0 = processCpu();
        private long wall;
        private long gc;
        private long gcn;
        private long cpu;
        private long threadCpu = -1;

        Meter stop(String threadName) {
            wall = System.nanoTime() - t0;
            gc = gcMillis() - gc0;
            gcn = gcCount() - gcn0;
            cpu = processCpu() - cpu0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().contains(threadName)) {
                    threadCpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
                }
            }
            return this;
        }

        /** The loading thread starts after the meter, so its whole CPU time counts. */
        Result result(long before, long heapLoaded, long heapClosed, double internal, long dirBytes) {
            return new Result(wall / 1e9, threadCpu / 1e9, cpu / 1e9, gc / 1e3, gcn, before, heapLoaded, heapClosed,
                    internal, dirBytes);
        }
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    static Map<String, Object> toMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", r.seconds());
        m.put("loadingThreadCpuSeconds", r.threadCpuSeconds());
        m.put("processCpuSeconds", r.processCpuSeconds());
        m.put("gcSeconds", r.gcSeconds());
        m.put("gcCount", r.gcCount());
        return m;
    }

    static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
