package dev.edapatterns.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;

/** The data set of benchmark P3 and the GlobalKTable baseline, shared by the main benchmark and the JMH forks. */
public final class KvData {

    /** A compacted topic declared like the catalog's {@code reference.countries}: String key, JSON {@link Country}. */
    public static final Topic<String, Country> TOPIC = Topic.builder("bench.kv-store", Country.class).compacted()
            .partitions(6).description("P3 benchmark: N distinct countries").build();

    private static final String[] CURRENCIES = { "EUR", "USD", "JPY", "BRL", "INR", "GBP" };
    private static final List<List<String>> ZONES = List.of(
            List.of("Europe/Paris", "Europe/Berlin"), List.of("America/New_York", "America/Chicago"),
            List.of("Asia/Tokyo", "Asia/Seoul"), List.of("America/Sao_Paulo", "America/Manaus"),
            List.of("Asia/Kolkata", "Asia/Dhaka"), List.of("Europe/London", "Europe/Dublin"));

    private KvData() {
    }

    /** Distinct for 0 <= i < 10^7: {@code country-0000042}. */
    public static String key(int i) {
        String digits = Integer.toString(i);
        return "country-" + "0000000".substring(Math.min(7, digits.length())) + digits;
    }

    /** ~100 bytes of JSON with the contracts' mapper, e.g. {"code":"C0000042","name":"Country 0000042",...}. */
    public static Country value(int i) {
        String digits = Integer.toString(i);
        String padded = "0000000".substring(Math.min(7, digits.length())) + digits;
        return new Country("C" + padded, "Country " + padded, CURRENCIES[i % CURRENCIES.length], ZONES.get(i % ZONES.size()));
    }

    /** Which state store the GlobalKTable materializes into. */
    public enum StoreKind {
        /** {@code Materialized.as(name)}: the default, a timestamped RocksDB store (what users get). */
        ROCKSDB,
        /** {@code Materialized.as(Stores.inMemoryKeyValueStore(name))}. */
        IN_MEMORY
    }

    public static final String GLOBAL_STORE = "kv";

    /** A global-only topology over {@link #TOPIC}; restored records are counted into {@code restored}. */
    public static KafkaStreams globalTable(String bootstrap, String applicationId, String stateDir, StoreKind kind,
            AtomicLong restored) {
        return globalTable(bootstrap, applicationId, stateDir, kind, restored, Map.of());
    }

    /** {@code extra}: more Streams properties, e.g. {@code global.consumer.*} overrides. */
    public static KafkaStreams globalTable(String bootstrap, String applicationId, String stateDir, StoreKind kind,
            AtomicLong restored, Map<String, Object> extra) {
        Serde<Country> values = Serdes.serdeFrom(TOPIC.valueSerializer(), TOPIC.valueDeserializer());
        StreamsBuilder builder = new StreamsBuilder();
        Materialized<String, Country, KeyValueStore<Bytes, byte[]>> materialized = kind == StoreKind.ROCKSDB
                ? Materialized.as(GLOBAL_STORE)
                : Materialized.as(org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(GLOBAL_STORE));
        builder.globalTable(TOPIC.name(), Consumed.with(Serdes.String(), values),
                materialized.withKeySerde(Serdes.String()).withValueSerde(values));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.putAll(extra);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            }

            @Override
            public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long numRestored) {
            }

            @Override
            public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
                restored.addAndGet(totalRestored);
            }
        });
        return streams;
    }

    /** {@code start()} returns after the global restore; this also waits for the RUNNING state. */
    public static Duration startAndAwaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        long t0 = System.nanoTime();
        streams.start();
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("streams not RUNNING within " + timeout + ": " + streams.state());
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    public static Map<String, Object> consumerProps(String bootstrap) {
        // exactly what Stores.compacted() passes: KafkaClients.consumer(Map.of()) of the app's kafka.* config
        return new dev.edapatterns.eventkit.kafka.KafkaClients(Map.of("bootstrap.servers", bootstrap)).consumer(Map.of());
    }
}
