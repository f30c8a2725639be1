package dev.edapatterns.bench;

import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;

/**
 * Benchmark P5 (pattern 5): the packaged order-app's checkout (views off) in at-least-once mode
 * ({@code order.checkout.exactly-once=false}: outputs without a transaction, offsets committed after their acks) and
 * in exactly-once mode (one transaction per polled batch with the offsets), same batch size (max.poll.records 500),
 * same commit point (once per batch), same broker, same run. Throughput: N purchases already on
 * {@code orders.purchase-completed}, read by a fresh group, clock from the group's first commit to its last
 * (rounds alternate the modes). Latency: purchases produced at a fixed rate, send -> visible to a
 * {@code read_committed} reader of {@code orders.checkout-completed}, p50/p99 (first 5 s dropped).
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@orders   (-Dbench.orders=N -Dbench.rate=R)</pre>
 */
public final class CheckoutBenchmark {

    enum Mode { AT_LEAST_ONCE, EXACTLY_ONCE }

    static final int WARMUP_SECONDS = 5;

    public static void main(String[] args) throws Exception {
        int orders = Integer.getInteger("bench.orders", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 2);
        int rate = Integer.getInteger("bench.rate", 500);
        int latencySeconds = Integer.getInteger("bench.latency-seconds", 30);
        Path work = Files.createDirectories(Path.of("target", "bench-orders"));
        Path data = Files.createTempDirectory(work, "kafka-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, List.of("-Xmx1g", "-XX:+UseG1GC"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String kafka = broker.bootstrapServers();
            admin.createTopics(List.of(new NewTopic(Topics.ORDERS_PURCHASE_COMPLETED.name(), 6, (short) 1),
                    new NewTopic(Topics.ORDERS_CHECKOUT_COMPLETED.name(), 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                long t0 = System.nanoTime();
                for (int i = 0; i < orders; i++) {
                    send(producer, purchase("tp-" + i));
                }
                producer.flush();
                System.out.printf("%,d purchases produced in %.1f s%n", orders, (System.nanoTime() - t0) / 1e9);
            }

            Map<Mode, List<Double>> throughput = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                List<Mode> order = round % 2 == 1 ? List.of(Mode.AT_LEAST_ONCE, Mode.EXACTLY_ONCE)
                        : List.of(Mode.EXACTLY_ONCE, Mode.AT_LEAST_ONCE);
                for (Mode mode : order) {
                    double perSecond = throughput(kafka, admin, mode, round, orders);
                    throughput.computeIfAbsent(mode, m -> new ArrayList<>()).add(perSecond);
                    System.out.printf("round %d %-14s %,10.0f purchases/s%n", round, mode, perSecond);
                }
            }
            Map<Mode, double[]> latency = new LinkedHashMap<>();
            for (Mode mode : Mode.values()) {
                // -Dbench.latency-seconds=0: throughput only (two app starts fewer; the CI smoke run)
                latency.put(mode, latencySeconds > 0 ? latency(kafka, admin, mode, rate, latencySeconds)
                        : new double[] { Double.NaN, Double.NaN, 0 });
            }
            report(orders, rounds, rate, latencySeconds, throughput, latency);
        }
        BenchMachine.deleteRecursively(data);
    }

    /** Purchases per second of one checkout process over the N purchases, first commit to last. */
    private static double throughput(String kafka, Admin admin, Mode mode, int round, int orders) throws Exception {
        String group = "bench-" + mode.name().toLowerCase() + "-" + round;
        JavaProcess app = checkout(kafka, mode, group, "tp" + round, "earliest");
        try {
            long first = -1;
            long firstAt = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                long committed = committed(admin, group);
                long now = System.nanoTime();
                if (first < 0 && committed > 0) {
                    first = committed;
                    firstAt = now;
                }
                if (committed >= orders) {
                    return (orders - first) / ((now - firstAt) / 1e9);
                }
                if (now > deadline) {
                    throw new IllegalStateException(mode + ": only " + committed + " of " + orders + " checked out");
                }
                Thread.sleep(20);
            }
        } finally {
            app.stop(Duration.ofSeconds(20));
        }
    }

    /** {p50 ms, p99 ms, samples}: send -> visible to a read_committed reader, at a fixed rate. */
    private static double[] latency(String kafka, Admin admin, Mode mode, int rate, int seconds) throws Exception {
        String group = "bench-latency-" + mode.name().toLowerCase();
        JavaProcess app = checkout(kafka, mode, group, "lat", "latest");
        Map<String, Long> sent = new ConcurrentHashMap<>();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> read(kafka, seen, stop), "latency-reader");
        try {
            awaitAssigned(admin, group);
            reader.start();
            Thread.sleep(2000); // the reader is at the end before the first send
            String prefix = "lat-" + mode.name().toLowerCase() + "-";
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                long t0 = System.nanoTime();
                int total = rate * seconds;
                for (int i = 0; i < total; i++) {
                    long due = t0 + TimeUnit.SECONDS.toNanos(1) * i / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // no spinning: 2 cores, 3 JVMs
                    }
                    String id = prefix + i;
                    sent.put(id, System.nanoTime());
                    send(producer, purchase(id));
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.keySet().stream().filter(sent::containsKey).count() < sent.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            int warmup = WARMUP_SECONDS * rate; // a fresh JVM: JIT and first transactions
            double[] ms = sent.entrySet().stream()
                    .filter(e -> Integer.parseInt(e.getKey().substring(prefix.length())) >= warmup && seen.containsKey(e.getKey()))
                    .mapToDouble(e -> (seen.get(e.getKey()) - e.getValue()) / 1e6).sorted().toArray();
            long missing = sent.keySet().stream().filter(id -> !seen.containsKey(id)).count();
            if (missing > 0) {
                throw new IllegalStateException(mode + ": " + missing + " purchases never became visible");
            }
            double[] result = { percentile(ms, 0.50), percentile(ms, 0.99), ms.length };
            System.out.printf("latency %-14s p50 %.1f ms, p99 %.1f ms (%d samples at %d/s)%n", mode, result[0], result[1],
                    ms.length, rate);
            return result;
        } finally {
            stop.set(true);
            reader.join(10_000);
            app.stop(Duration.ofSeconds(20));
        }
    }

    private static void read(String kafka, Map<String, Long> seen, AtomicBoolean stop) {
        Map<String, Object> props = Map.of("bootstrap.servers", kafka, "isolation.level", "read_committed",
                "fetch.min.bytes", 1, "fetch.max.wait.ms", 10);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.ORDERS_CHECKOUT_COMPLETED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    seen.putIfAbsent(r.key(), System.nanoTime());
                }
            }
        }
    }

    private static JavaProcess checkout(String kafka, Mode mode, String group, String instance, String reset) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka);
        config.put("eventkit.instance-id", "bench-" + instance + "-" + mode.name().toLowerCase());
        config.put("order.views.enabled", "false");
        config.put("order.read-model.enabled", "false"); // P5 measures the checkout: no database, no projections
        config.put("mp.messaging.incoming.purchases.group.id", group);
        config.put("mp.messaging.incoming.purchases.auto.offset.reset", reset);
        if (mode == Mode.AT_LEAST_ONCE) {
            config.put("order.checkout.exactly-once", "false");
            config.put("mp.messaging.incoming.purchases.commit-strategy", "latest");
        }
        JavaProcess.Builder b = BenchApp.builder("order-app", "order-app-" + mode.name().toLowerCase(), KafkaBroker.freePort())
                .jvmArg("-Xmx512m");
        config.forEach(b::systemProperty);
        return b.start().process();
    }

    private static void awaitAssigned(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            if (d.groupState() == GroupState.STABLE && d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("group " + group + " got no partitions");
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static KafkaProducer<byte[], byte[]> producer(String kafka) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all", "enable.idempotence", true,
                "linger.ms", 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static PurchaseCompleted purchase(String id) {
        return new PurchaseCompleted(id, "bench-customer", List.of(new OrderItem("sku-" + (id.hashCode() & 7), 2,
                new BigDecimal("4.50"))), "EUR", "FR", new BigDecimal("9.00"), Instant.now());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PurchaseCompleted p) {
        var topic = Topics.ORDERS_PURCHASE_COMPLETED;
        RecordHeaders headers = new RecordHeaders();
        producer.send(new ProducerRecord<>(topic.name(), null, p.orderId().getBytes(StandardCharsets.UTF_8),
                topic.valueSerializer().serialize(topic.name(), headers, p), headers));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void report(int orders, int rounds, int rate, int seconds, Map<Mode, List<Double>> throughput,
            Map<Mode, double[]> latency) throws Exception {
        double alo = median(throughput.get(Mode.AT_LEAST_ONCE));
        double eos = median(throughput.get(Mode.EXACTLY_ONCE));
        System.out.println();
        System.out.printf("%-16s %14s %10s %10s %10s%n", "mode", "purchases/s", "vs ALO", "p50 ms", "p99 ms");
        for (Mode mode : Mode.values()) {
            double t = median(throughput.get(mode));
            System.out.printf("%-16s %,14.0f %9.0f%% %10.1f %10.1f%n", mode, t, 100 * t / alo, latency.get(mode)[0],
                    latency.get(mode)[1]);
        }
        System.out.printf("EOS / at-least-once throughput: %.0f%% (target >= 70%%)%n", 100 * eos / alo);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P5 checkout: exactly once vs at least once, same pipeline, same run");
        json.put("at", Instant.now().toString());
        json.put("orders", orders);
        json.put("rounds", rounds);
        json.put("batch", "max.poll.records 500 (default), commit once per polled batch in both modes");
        Map<String, Object> modes = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("throughputPerSecondMedian", median(throughput.get(mode)));
            m.put("throughputPerSecondRuns", throughput.get(mode));
            m.put("latencyP50Ms", latency.get(mode)[0]);
            m.put("latencyP99Ms", latency.get(mode)[1]);
            m.put("latencySamples", (long) latency.get(mode)[2]);
            modes.put(mode.name(), m);
        }
        json.put("modes", modes);
        json.put("eosToAtLeastOnceThroughput", eos / alo);
        json.put("target", ">= 0.70");
        json.put("latencyRatePerSecond", rate);
        json.put("latencySeconds", seconds);
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        Path out = BenchMachine.results("orders.json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath() + " " + Arrays.toString(new double[] { alo, eos }));
    }
}
