package dev.edapatterns.bench;

import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.Observability.Sample;

/**
 * Benchmark P2 (pattern 2, issue 8): notify-app WebSocket fan-out at scale. {@code clients} Vert.x WebSocket clients
 * over {@code channels} channels on one packaged notify-app while a producer writes {@code rate} progress events/s for
 * {@code warmup-seconds} (delivered and counted, not measured) and then {@code seconds}; append (the event's
 * {@code at}, set at send) -> receive latency p50/p99/max, lost events (per-channel numbering), reconnects after a
 * 1013, notify-app heap and RSS, and the cores each process used. Same-run baseline first: a plain
 * {@code read_committed} consumer's append -> poll latency at the same rate. Then two notify-app instances with the
 * clients split across them. Everything shares this machine's cores (broker, notify-app, clients, producer).
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@notify
 *   (-Dbench.notify.clients=10000 -Dbench.notify.channels=1000 -Dbench.notify.rate=20000 -Dbench.notify.seconds=60
 *    -Dbench.notify.warmup-seconds=20)</pre>
 */
public final class NotifyFanOutBenchmark {

    /**
     * Events sent in the first seconds of each phase are delivered and counted but not measured: a freshly started
     * notify-app runs interpreted until the JIT has compiled its send path (up to 17,700 frames were pending in the
     * first seconds of a 20,000 frames/s phase; with 5 s, that start-up backlog set the p99).
     */
    static int warmupSeconds = 20;

    record Phase(String name, double p50, double p99, double max, long samples, long expectedFrames, long frames,
            long lost, long duplicates, long reconnects, long errors, long heapMaxMb, long liveHeapMaxMb, long rssMaxMb,
            double producedPerSecond, Cpu cpu) {
    }

    /**
     * Cores used on average from the first event produced to the last one received: the notify-app(s), the broker, and
     * this JVM (the WebSocket clients, or the baseline consumer, plus the producer); and notify-app CPU per frame
     * delivered, the figure that does not depend on what else shares the machine.
     */
    record Cpu(double notifyAppCores, double brokerCores, double benchCores, double machineCores,
            double notifyAppMicrosPerFrame) {
    }

    /** CPU seconds of the processes involved since construction, read from /proc. */
    static final class CpuWindow {
        private final List<Long> apps;
        private final long broker;
        private final long wall0 = System.nanoTime();
        private final double apps0;
        private final double broker0;
        private final double bench0;
        private final double machine0;

        CpuWindow(List<Long> apps, long broker) {
            this.apps = apps;
            this.broker = broker;
            this.apps0 = appSeconds();
            this.broker0 = BenchMachine.cpuSeconds(broker);
            this.bench0 = BenchMachine.cpuSeconds(ProcessHandle.current().pid());
            this.machine0 = BenchMachine.machineBusySeconds();
        }

        Cpu stop(long frames) {
            double wall = (System.nanoTime() - wall0) / 1e9;
            double app = appSeconds() - apps0;
            return new Cpu(app / wall, (BenchMachine.cpuSeconds(broker) - broker0) / wall,
                    (BenchMachine.cpuSeconds(ProcessHandle.current().pid()) - bench0) / wall,
                    (BenchMachine.machineBusySeconds() - machine0) / wall, frames == 0 ? 0 : app * 1e6 / frames);
        }

        private double appSeconds() {
            return apps.stream().mapToDouble(BenchMachine::cpuSeconds).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = AggregationBenchmark.intProp("bench.notify.clients", 10_000);
        int channels = AggregationBenchmark.intProp("bench.notify.channels", 1_000);
        int rate = AggregationBenchmark.intProp("bench.notify.rate", 20_000);
        int seconds = AggregationBenchmark.intProp("bench.notify.seconds", 60);
        warmupSeconds = AggregationBenchmark.intProp("bench.notify.warmup-seconds", warmupSeconds);
        boolean twoInstances = Boolean.parseBoolean(AggregationBenchmark.prop("bench.notify.two-instances", "true"));
        Path work = Files.createDirectories(Path.of("target", "bench-notify"));
        Path data = Files.createTempDirectory(work, "kafka-");
        List<Phase> phases = new ArrayList<>();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, List.of("-Xmx1g", "-XX:+UseG1GC"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String kafka = broker.bootstrapServers();
            admin.createTopics(List.of(new NewTopic(Topics.PROGRESS.name(), Topics.PROGRESS.partitions(), (short) 1)
                    .configs(Topics.PROGRESS.topicConfigs()))).all().get(30, TimeUnit.SECONDS);

            long brokerPid = broker.process().pid();
            phases.add(baseline(kafka, brokerPid, channels, rate, seconds));
            List<JavaProcess> apps = new ArrayList<>();
            try {
                apps.add(notifyApp(kafka, "n1", clients));
                phases.add(fanOut("one notify-app", kafka, brokerPid, apps, clients, channels, rate, seconds));
                if (twoInstances) {
                    apps.add(notifyApp(kafka, "n2", clients));
                    phases.add(fanOut("two notify-apps", kafka, brokerPid, apps, clients, channels, rate, seconds));
                }
            } finally {
                for (JavaProcess app : apps) {
                    app.stop(Duration.ofSeconds(20));
                }
            }
        }
        BenchMachine.deleteRecursively(data);
        report(clients, channels, rate, seconds, phases);
    }

    /** A plain read_committed consumer of {@code progress}: append -> poll, same rate and producer. */
    private static Phase baseline(String kafka, long brokerPid, int channels, int rate, int seconds) throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        AtomicBoolean stop = new AtomicBoolean();
        long[] polled = new long[1];
        long measureFrom = FanOutClients.epochMicros(Instant.now().plusSeconds(warmupSeconds + 2));
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                    "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(Topics.PROGRESS.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToEnd(parts);
                parts.forEach(consumer::position);
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = FanOutClients.epochMicros(Instant.now());
                        ProgressEvent e = Topics.PROGRESS.valueDeserializer().deserialize(r.topic(), r.headers(), r.value());
                        polled[0]++;
                        long sent = FanOutClients.epochMicros(e.at());
                        if (sent >= measureFrom) {
                            latency.record(now - sent);
                        }
                    }
                }
            }
        }, "baseline-consumer");
        reader.start();
        Thread.sleep(2000);
        List<String> ids = channelIds(channels);
        CpuWindow cpu = new CpuWindow(List.of(), brokerPid);
        double produced = produce(kafka, ids, rate, warmupSeconds + seconds);
        Thread.sleep(3000);
        stop.set(true);
        reader.join(10_000);
        Cpu used = cpu.stop(0);
        long expected = (long) rate * (warmupSeconds + seconds);
        Phase phase = new Phase("baseline: plain read_committed consumer", latency.percentileMs(0.50),
                latency.percentileMs(0.99), latency.maxMs(), latency.samples(), expected, polled[0],
                Math.max(0, expected - polled[0]), 0, 0, 0, -1, -1, -1, produced, used);
        print(phase);
        return phase;
    }

    private static Phase fanOut(String name, String kafka, long brokerPid, List<JavaProcess> apps, int clients,
            int channels, int rate, int seconds) throws Exception {
        List<String> ids = channelIds(channels); // fresh channels: no history from an earlier phase
        int[] ports = apps.stream().mapToInt(NotifyFanOutBenchmark::port).toArray();
        long t0 = System.nanoTime();
        try (FanOutClients ws = new FanOutClients(2)) {
            ws.connectAll(ids, clients / channels, ports, 200);
            log("%s: %,d WebSocket clients open in %.1f s", name, ws.clients().size(), (System.nanoTime() - t0) / 1e9);
            Thread.sleep(2000);
            ws.measureFromMicros = FanOutClients.epochMicros(Instant.now().plusSeconds(warmupSeconds));
            MemorySampler memory = new MemorySampler(apps);
            memory.start();
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            timer.schedule(memory::markFanOut, warmupSeconds, TimeUnit.SECONDS);
            double produced;
            CpuWindow cpu = new CpuWindow(apps.stream().map(JavaProcess::pid).toList(), brokerPid);
            Cpu used;
            try {
                produced = produce(kafka, ids, rate, warmupSeconds + seconds);
                long perChannel = (long) rate * (warmupSeconds + seconds) / channels;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && ws.clients().stream().anyMatch(c -> c.expected < perChannel)) {
                    Thread.sleep(200);
                }
                used = cpu.stop(ws.frames.get());
            } finally {
                timer.shutdownNow();
                memory.stop();
            }
            memory.logFanOutLatency();
            long perChannel = (long) rate * (warmupSeconds + seconds) / channels;
            long lost = ws.gaps.get() + ws.clients().stream().mapToLong(c -> Math.max(0, perChannel - c.expected)).sum();
            Phase phase = new Phase(name, ws.latency.percentileMs(0.50), ws.latency.percentileMs(0.99), ws.latency.maxMs(),
                    ws.latency.samples(), perChannel * ws.clients().size(), ws.frames.get(), lost, ws.duplicates.get(),
                    ws.reconnects.get(), ws.errors.get(), memory.heapMaxMb(), memory.liveMaxMb(), memory.rssMaxMb(), produced,
                    used);
            print(phase);
            return phase;
        }
    }

    /**
     * {@code rate} events/s for {@code seconds}, channel {@code i % channels}, numbered per channel in
     * {@code jobsDone}; {@code at} = send time, also in {@code rowsImported} as epoch µs for the WebSocket clients. Paced per millisecond; returns the achieved rate.
     */
    private static double produce(String kafka, List<String> channels, int rate, int seconds) {
        var topic = Topics.PROGRESS;
        long total = (long) rate * seconds;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all",
                "enable.idempotence", true, "linger.ms", 1), new StringSerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = t0 + i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait); // park, not spin: every core is shared
                }
                String channel = channels.get((int) (i % channels.size()));
                int n = (int) (i / channels.size());
                Instant now = Instant.now();
                ProgressEvent event = new ProgressEvent(channel, 0, "bench-import", ProgressType.PROCESSED, n, 0,
                        FanOutClients.epochMicros(now), 0, now);
                RecordHeaders headers = new RecordHeaders();
                producer.send(new ProducerRecord<>(topic.name(), null, channel,
                        topic.valueSerializer().serialize(topic.name(), headers, event), headers));
            }
            producer.flush();
            double achieved = total / ((System.nanoTime() - t0) / 1e9);
            log("produced %,d events at %,.0f/s (target %,d/s)", total, achieved, rate);
            return achieved;
        }
    }

    /**
     * One notify-app process. Its connection caps are raised to twice the clients: every client is the importer (the
     * default per-user cap is 1,000), and a client cut off with 1013 reconnects before its old connection's slot is
     * given back.
     */
    private static JavaProcess notifyApp(String kafka, String instance, int clients) {
        int port = KafkaBroker.freePort();
        JavaProcess.Builder builder = BenchApp.builder("notify-app", "notify-app-" + instance, port)
                .jvmArg("-Xmx1g").jvmArg("-XX:+UseG1GC");
        if (Boolean.getBoolean("bench.notify.jfr")) { // a CPU profile of each instance: target/bench-notify/<instance>.jfr
            builder.jvmArg("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of("target", "bench-notify", instance + ".jfr").toAbsolutePath());
        }
        JavaProcess app = builder
                .systemProperty("kafka.bootstrap.servers", kafka)
                .systemProperty("eventkit.instance-id", instance)
                .systemProperty("notify.ws.max-connections-per-user", String.valueOf(2 * clients))
                .systemProperty("notify.ws.max-connections", String.valueOf(Math.max(20_000, 2 * clients)))
                .start().process();
        PORTS.put(app, port);
        return app;
    }

    private static final Map<JavaProcess, Integer> PORTS = new LinkedHashMap<>();

    private static int port(JavaProcess app) {
        return PORTS.get(app);
    }

    private static List<String> channelIds(int channels) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            ids.add("bench-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        }
        return ids;
    }

    /**
     * Peak heap used (the apps' {@code jvm_memory_used_bytes} of the heap pools: live data plus garbage not yet
     * collected), peak live heap after a collection ({@code jvm_gc_live_data_size_bytes}) and RSS (/proc) of the
     * notify-app processes, every 5 s. From /q/metrics, not jcmd: a jcmd is a JVM start every 5 s on the shared cores.
     */
    static final class MemorySampler {
        private final HttpClient http = HttpClient.newHttpClient();
        private final List<JavaProcess> apps;
        private final Map<JavaProcess, Map<String, Double>> fanOutAtMark = new ConcurrentHashMap<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile long heapMaxKb = -1;
        private volatile long rssMaxKb = -1;
        private volatile long liveMaxBytes = -1;
        private Thread thread;

        MemorySampler(List<JavaProcess> apps) {
            this.apps = apps;
        }

        void start() {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    sample();
                    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
                }
            }, "memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(20_000);
            sample();
        }

        long heapMaxMb() {
            return heapMaxKb < 0 ? -1 : heapMaxKb / 1024;
        }

        /** Each app's fan-out histogram when the warm-up ends, so the log shows the measured window only. */
        void markFanOut() {
            for (JavaProcess app : apps) {
                try {
                    fanOutAtMark.put(app, fanOutBuckets(app));
                } catch (Exception e) {
                    log("fan-out latency of %s not read: %s", app, e);
                }
            }
        }

        /**
         * notify-app's own view: record timestamp -> frames queued to the sockets (before the sockets and clients), for
         * the events queued since {@link #markFanOut} (not the warm-up, nor an earlier phase of the same instance).
         */
        void logFanOutLatency() {
            for (JavaProcess app : apps) {
                try {
                    Map<String, Double> before = fanOutAtMark.getOrDefault(app, Map.of());
                    StringBuilder buckets = new StringBuilder();
                    fanOutBuckets(app).forEach((le, count) -> buckets.append(String.format(" <=%sms:%.0f",
                            (long) (Double.parseDouble(le) * 1000), count - before.getOrDefault(le, 0.0))));
                    log("%s notify_fanout_latency (record -> frames queued), events after the warm-up per bucket:%s", app,
                            buckets);
                } catch (Exception e) {
                    log("fan-out latency of %s not read: %s", app, e);
                }
            }
        }

        private Map<String, Double> fanOutBuckets(JavaProcess app) throws Exception {
            Map<String, Double> buckets = new LinkedHashMap<>();
            for (Sample b : metrics(app)) {
                String le = b.labels().get("le");
                if (b.name().equals("notify_fanout_latency_seconds_bucket") && !"+Inf".equals(le)) {
                    buckets.put(le, b.value());
                }
            }
            return buckets;
        }

        private List<Sample> metrics(JavaProcess app) throws Exception {
            return Observability.samples(http.send(HttpRequest.newBuilder(URI.create(BenchApp.managementUrl(port(app)) + "/q/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body());
        }

        long liveMaxMb() {
            return liveMaxBytes < 0 ? -1 : liveMaxBytes / (1024 * 1024);
        }

        long rssMaxMb() {
            return rssMaxKb < 0 ? -1 : rssMaxKb / 1024;
        }

        private void sample() {
            for (JavaProcess app : apps) {
                try {
                    List<Sample> metrics = metrics(app);
                    long used = (long) metrics.stream().filter(m -> m.name().equals("jvm_memory_used_bytes")
                            && "heap".equals(m.labels().get("area"))).mapToDouble(Sample::value).sum();
                    heapMaxKb = Math.max(heapMaxKb, used / 1024);
                    metrics.stream().filter(m -> m.name().equals("jvm_gc_live_data_size_bytes")).findFirst()
                            .ifPresent(live -> liveMaxBytes = Math.max(liveMaxBytes, (long) live.value()));
                    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(app.pid()), "status"))) {
                        if (line.startsWith("VmRSS:")) {
                            rssMaxKb = Math.max(rssMaxKb, Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                } catch (Exception e) {
                    log("memory sample of %s failed: %s", app, e);
                }
            }
        }
    }

    private static void print(Phase p) {
        log("%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples); frames %,d of %,d, lost %,d, duplicates %,d, "
                + "reconnects %,d, errors %,d, heap max %d MB (live after GC %d MB), RSS max %d MB; cores used: notify-app "
                + "%.2f, broker %.2f, bench %.2f, machine %.2f; notify-app %.1f µs CPU per frame", p.name(), p.p50(),
                p.p99(), p.max(), p.samples(), p.frames(), p.expectedFrames(), p.lost(), p.duplicates(), p.reconnects(),
                p.errors(), p.heapMaxMb(), p.liveHeapMaxMb(), p.rssMaxMb(), p.cpu().notifyAppCores(), p.cpu().brokerCores(),
                p.cpu().benchCores(), p.cpu().machineCores(), p.cpu().notifyAppMicrosPerFrame());
    }

    private static void report(int clients, int channels, int rate, int seconds, List<Phase> phases) throws Exception {
        Phase base = phases.get(0);
        double target = 2 * base.p99() + 5;
        System.out.println();
        System.out.printf("P2 notify-app fan-out: %,d clients, %,d channels, %,d events/s for %d s of warm-up + %d s measured "
                + "(%s cores, load %s)%n", clients, channels, rate, warmupSeconds, seconds,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf("%-42s %9s %9s %9s %12s %8s %10s %8s %8s %8s %7s %7s %7s %7s %9s%n", "phase", "p50 ms", "p99 ms",
                "max ms", "frames", "lost", "reconnect", "heap MB", "live MB", "RSS MB", "app cpu", "broker", "bench",
                "machine", "µs/frame");
        for (Phase p : phases) {
            System.out.printf("%-42s %9.1f %9.1f %9.1f %,12d %8d %10d %8d %8d %8d %7.2f %7.2f %7.2f %7.2f %9.1f%n", p.name(),
                    p.p50(), p.p99(), p.max(), p.frames(), p.lost(), p.reconnects(), p.heapMaxMb(), p.liveHeapMaxMb(),
                    p.rssMaxMb(), p.cpu().notifyAppCores(), p.cpu().brokerCores(), p.cpu().benchCores(),
                    p.cpu().machineCores(), p.cpu().notifyAppMicrosPerFrame());
        }
        System.out.println("cpu columns: cores used from the first event produced to the last received (bench = the "
                + "clients or baseline consumer, and the producer; machine = all processes and the kernel, of "
                + Runtime.getRuntime().availableProcessors() + "); µs/frame: notify-app CPU per frame delivered");
        System.out.printf("target: WebSocket p99 <= 2 x baseline p99 + 5 ms = %.1f ms, 0 lost, heap <= 1024 MB%n", target);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P2 notify-app WebSocket fan-out vs a plain read_committed consumer, same run");
        json.put("at", Instant.now().toString());
        json.put("clients", clients);
        json.put("channels", channels);
        json.put("eventsPerSecond", rate);
        json.put("seconds", seconds);
        json.put("warmupSecondsNotMeasured", warmupSeconds);
        json.put("phases", phases);
        json.put("targetP99Ms", target);
        boolean met = phases.stream().skip(1).allMatch(p -> p.p99() <= target && p.lost() == 0 && p.heapMaxMb() <= 1024);
        json.put("targetMet", met);
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, load " + loadAverage());
        // the full-size run (the figures) in notify.json; other rates beside it, so both can be kept
        Path out = BenchMachine.results(rate == 20_000 ? "notify.json" : "notify-" + rate + ".json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("%s %s%n", Instant.now(), String.format(format, args));
    }
}
