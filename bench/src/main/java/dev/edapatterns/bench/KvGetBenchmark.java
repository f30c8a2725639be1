package dev.edapatterns.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * JMH part of benchmark P3: {@code get} of random existing keys on a store loaded from the benchmark topic. Run by
 * {@link KvStoreBenchmark} through the JMH Runner in a forked JVM (the fork loads the store from the broker in
 * {@code @Setup(Level.Trial)}; {@code -Dbench.bootstrap}, {@code -Dbench.keys} are passed as JVM arguments).
 */
public class KvGetBenchmark {

    /** Lookups cycle through this many pre-built random existing keys (fresh String instances, not the map's). */
    static final int LOOKUPS = 1 << 18;

    /** The hot set of {@link Compacted#hotLookups}: few enough entries to stay in the CPU caches. */
    static final int HOT_KEYS = 1024;

    static String[] randomKeys(int keys) {
        SplittableRandom random = new SplittableRandom(42);
        String[] lookups = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            lookups[i] = KvData.key(random.nextInt(keys));
        }
        return lookups;
    }

    /** The event-kit store, loaded once per fork. */
    @State(Scope.Benchmark)
    public static class Compacted {
        CompactedStore<String, Country> store;
        String[] lookups;
        /** Random keys among {@link #HOT_KEYS} spread over the store: the get code path without DRAM misses. */
        String[] hotLookups;

        @Setup(Level.Trial)
        public void load() {
            int keys = Integer.getInteger("bench.keys");
            store = CompactedStore.builder(KvData.TOPIC).start(KvData.consumerProps(System.getProperty("bench.bootstrap")));
            if (!store.awaitLoaded(Duration.ofMinutes(10)) || store.size() != keys) {
                throw new IllegalStateException("store not loaded: " + store.stats());
            }
            lookups = randomKeys(keys);
            SplittableRandom random = new SplittableRandom(7);
            int[] hot = random.ints(HOT_KEYS, 0, keys).toArray();
            hotLookups = new String[LOOKUPS];
            for (int i = 0; i < LOOKUPS; i++) {
                hotLookups[i] = KvData.key(hot[random.nextInt(HOT_KEYS)]);
            }
            System.out.println("CompactedStore loaded in the fork: " + store.stats());
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** The GlobalKTable baseline (default RocksDB store), restored once per fork; reads deserialize the JSON. */
    @State(Scope.Benchmark)
    public static class Global {
        KafkaStreams streams;
        ReadOnlyKeyValueStore<String, Country> store;
        String[] lookups;
        Path stateDir;

        @Setup(Level.Trial)
        public void load() throws Exception {
            int keys = Integer.getInteger("bench.keys");
            stateDir = Files.createTempDirectory("bench-kv-jmh-");
            AtomicLong restored = new AtomicLong();
            streams = KvData.globalTable(System.getProperty("bench.bootstrap"), "bench-kv-jmh-" + System.nanoTime(),
                    stateDir.toString(), KvData.StoreKind.ROCKSDB, restored);
            KvData.startAndAwaitRunning(streams, Duration.ofMinutes(10));
            if (restored.get() != keys) {
                throw new IllegalStateException("restored " + restored.get() + " of " + keys);
            }
            store = streams.store(StoreQueryParameters.fromNameAndType(KvData.GLOBAL_STORE, QueryableStoreTypes.keyValueStore()));
            lookups = randomKeys(keys);
            System.out.println("GlobalKTable (RocksDB) restored in the fork: " + restored.get() + " records");
        }

        @TearDown(Level.Trial)
        public void close() {
            streams.close(Duration.ofSeconds(30));
            BenchMachine.deleteRecursively(stateDir);
        }
    }

    /** Control: only the caller's side (read the next pre-built key), no store. */
    @State(Scope.Benchmark)
    public static class KeysOnly {
        String[] lookups;

        @Setup(Level.Trial)
        public void build() {
            lookups = randomKeys(Integer.getInteger("bench.keys"));
        }
    }

    /** One cursor per benchmark thread. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Optional<Country> compactedStoreGet(Compacted s, Cursor c) {
        return s.store.get(s.lookups[c.next++ & (LOOKUPS - 1)]);
    }

    /** Control: the same store and code path, lookups confined to a cache-resident hot set of entries. */
    @Benchmark
    public Optional<Country> compactedStoreGetHotSet(Compacted s, Cursor c) {
        return s.store.get(s.hotLookups[c.next++ & (LOOKUPS - 1)]);
    }

    /** The harness and the caller's key alone (String + its bytes, as equals() reads them): a floor for the gets. */
    @Benchmark
    public int lookupKeyOnly(KeysOnly s, Cursor c) {
        String key = s.lookups[c.next++ & (LOOKUPS - 1)];
        return key.hashCode() + key.charAt(key.length() - 1);
    }

    @Benchmark
    public Country globalKTableGet(Global s, Cursor c) {
        return s.store.get(s.lookups[c.next++ & (LOOKUPS - 1)]);
    }
}
