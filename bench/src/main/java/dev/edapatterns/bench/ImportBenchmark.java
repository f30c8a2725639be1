package dev.edapatterns.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;

/**
 * Benchmark P1 (pattern 2): a 1,000,000-row CSV (~70 MB) uploaded to import-app (-Xmx512m) until a WebSocket
 * client of notify-app receives COMPLETED, against the same-run baseline: the same number of records of the same
 * size produced to the same broker by a raw KafkaProducer with the app's producer settings.
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@import   (-Dbench.rows=N to change the size)</pre>
 */
public final class ImportBenchmark {

    /** Importer workers per import-app process ({@code import.importer.workers}; -Dbench.import.workers). */
    private static final int WORKERS = Integer.getInteger("bench.import.workers", 2);

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        // -Dbench.import.processes=N: after the one-process runs, the same import with 2..N import-app processes in
        // the importer group (1: none)
        int processes = Integer.getInteger("bench.import.processes", 3);
        Path work = Files.createDirectories(Path.of("target", "bench-import"));
        Path csv = work.resolve("contacts-" + rows + ".csv");
        long csvBytes = generate(csv, rows);
        System.out.printf("CSV: %,d rows, %,d bytes (%.1f bytes/row)%n", rows, csvBytes, (double) csvBytes / rows);

        Path data = Files.createTempDirectory(work, "kafka-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, List.of("-Xmx1g", "-XX:+UseG1GC"))) {
            String kafka = broker.bootstrapServers();
            long brokerPid = broker.process().pid();
            int notifyPort = KafkaBroker.freePort();
            int importPort = KafkaBroker.freePort();
            Map<String, String> importConfig = new LinkedHashMap<>(Map.of("kafka.bootstrap.servers", kafka,
                    "quarkus.http.cors.origins", "http://localhost:" + notifyPort));
            importConfig.putAll(BenchApp.appConfig(System.getProperty("bench.import.app-config", ""))); // experiments
            // started side by side (each waits for its own ready line); a failed start ends this JVM, and
            // JavaProcess' shutdown hook stops the other one
            CompletableFuture<JavaProcess> importStart = CompletableFuture.supplyAsync(() -> importApp(1, importPort, importConfig));
            JavaProcess notifyApp = app("notify-app", "notify-app", notifyPort, "-Xmx512m", Map.of("kafka.bootstrap.servers", kafka,
                    "notify.page.import-url", "http://localhost:" + importPort));
            List<JavaProcess> importApps = new ArrayList<>(List.of(importStart.join()));
            try {
                awaitImporters(kafka, 1);
                List<Result> runs = new ArrayList<>();
                List<Long> jvms = new ArrayList<>(List.of(brokerPid, notifyApp.pid(), importApps.get(0).pid()));
                runs.add(importOnce("1 process, cold JVM", csv, rows, importPort, notifyPort, importApps, brokerPid, jvms));
                Map<String, Object> warmUp = settleJit(work, rows, importPort, notifyPort, importApps, brokerPid, jvms);
                Result warm = importOnce("1 process, warm JVM", csv, rows, importPort, notifyPort, importApps, brokerPid, jvms);
                runs.add(warm);
                long peakHeap = Json.mapper().readTree(BenchApp.ops(HttpClient.newHttpClient(), importPort, "/ops/heap"))
                        .get("peak").asLong();
                Duration baseline = rawProducer(kafka, csv, rows);
                Duration jobsBaseline = rawTransactionalJobs(kafka, warm.importId());
                for (int n = 2; n <= processes; n++) {
                    importApps.add(importApp(n, KafkaBroker.freePort(), importConfig));
                    jvms.add(importApps.get(n - 1).pid());
                    awaitImporters(kafka, n);
                    // the upload goes to the first (warm) process; the jobs spread over every process' workers
                    runs.add(importOnce(n + " processes", csv, rows, importPort, notifyPort, importApps, brokerPid, jvms));
                }
                report(rows, csvBytes, runs, baseline, jobsBaseline, peakHeap, warmUp);
            } finally {
                for (JavaProcess app : importApps) {
                    app.stop(Duration.ofSeconds(20));
                }
                notifyApp.stop(Duration.ofSeconds(20));
            }
        }
        BenchMachine.deleteRecursively(data);
    }

    /**
     * One import run: times, and the CPU seconds each import-app process and the broker spent from the upload to
     * COMPLETED (whatever else they did meanwhile included: nothing else runs).
     */
    record Result(String run, String importId, Duration accepted, Duration completed, List<Double> importAppCpu,
            double brokerCpu, double jitCpu) {
    }

    /**
     * Between the cold and the warm run: imports of a tenth of the rows until the JIT compilers of the JVMs involved
     * have settled (at most {@code bench.import.max-warmup-seconds}, 120 by default; at least one import). One earlier
     * import is not warm on 2 cores: the compilers go on for minutes after it, beside the work being measured.
     */
    private static Map<String, Object> settleJit(Path work, int rows, int importPort, int notifyPort, List<JavaProcess> importApps,
            long brokerPid, List<Long> jvms) throws Exception {
        int warmUpRows = Math.max(10, rows / 10);
        Path csv = work.resolve("contacts-" + warmUpRows + ".csv");
        generate(csv, warmUpRows);
        double maxSeconds = Double.parseDouble(System.getProperty("bench.import.max-warmup-seconds", "120"));
        Map<String, Object> m = new JitWarmUp("warm-up import", jvms, JitWarmUp.SETTLED_CORE_SHARE, maxSeconds, 1).run(n -> {
            Result r = importOnce("warm-up", csv, warmUpRows, importPort, notifyPort, importApps, brokerPid, jvms);
            System.out.printf("warm-up import %d (%,d rows): %.2f s%n", n + 1, warmUpRows, secs(r.completed()));
        });
        m.put("rowsEach", warmUpRows);
        return m;
    }

    /**
     * Upload -> 202 -> COMPLETED on a WebSocket, as the page does: import-app chooses the channel, so the socket opens
     * once the 202 is in and replays the channel from its first event (nothing sent before is missed).
     */
    private static Result importOnce(String run, Path csv, int rows, int importPort, int notifyPort, List<JavaProcess> importApps,
            long brokerPid, List<Long> jvms) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        double jitBefore = BenchMachine.compilerCpuSeconds(jvms);
        List<Double> cpuBefore = importApps.stream().map(a -> BenchMachine.cpuSeconds(a.pid())).toList();
        double brokerBefore = BenchMachine.cpuSeconds(brokerPid);
        long start = System.nanoTime();
        ProgressChannels.Accepted accepted = ProgressChannels.upload(http, importPort, csv);
        Duration acceptedAfter = Duration.ofNanos(System.nanoTime() - start);
        AggregationLatency.Frames frames = new AggregationLatency.Frames();
        WebSocket ws = ProgressChannels.watch(http, notifyPort, accepted, frames);
        JsonNode done = frames.done.get(15, TimeUnit.MINUTES);
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < importApps.size(); i++) {
            cpu.add(BenchMachine.cpuSeconds(importApps.get(i).pid()) - cpuBefore.get(i));
        }
        double brokerCpu = BenchMachine.cpuSeconds(brokerPid) - brokerBefore;
        double jitCpu = BenchMachine.compilerCpuSeconds(jvms) - jitBefore;
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        if (!"COMPLETED".equals(done.get("type").asText()) || done.get("rowsImported").asLong() != rows) {
            throw new IllegalStateException("import did not complete with all rows: " + done);
        }
        return new Result(run, accepted.importId(), acceptedAfter, total, cpu, brokerCpu, jitCpu);
    }

    /**
     * Waits until the importer group is stable with at least one working member per import-app process (each process
     * has {@code import.importer.workers} members; an older build, one).
     */
    private static void awaitImporters(String kafka, int processes) throws Exception {
        int members = Math.min(processes, 6);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("importer")).all()
                        .get(30, TimeUnit.SECONDS).get("importer");
                long working = group.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (group.groupState() == GroupState.STABLE && working >= members) {
                    return;
                }
                Thread.sleep(200); // polling the group's state: there is no event to wait on
            }
        }
        throw new IllegalStateException("the importer group did not reach " + members + " working members");
    }

    /** The baseline: one record per CSV row, same sizes, the jobs producer's settings, to the same broker. */
    private static Duration rawProducer(String kafka, Path csv, int rows) throws Exception {
        String topic = newTopic(kafka, "bench.raw-");
        List<byte[]> lines = new ArrayList<>(rows);
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(uploadProducerSettings(kafka), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(topic); // metadata before the clock starts
            long start = System.nanoTime();
            int i = 0;
            for (byte[] line : lines) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i++).getBytes(StandardCharsets.UTF_8), line));
            }
            producer.flush();
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /**
     * The baseline of upload -> 202: the very job records an import wrote (read back from {@code import.jobs}),
     * produced again in one transaction with the upload producer's settings, begin -> commit.
     */
    private static Duration rawTransactionalJobs(String kafka, String importId) throws Exception {
        List<ProducerRecord<byte[], byte[]>> jobs = new ArrayList<>();
        String topic = newTopic(kafka, "bench.raw-jobs-");
        Map<String, Object> consumer = Map.of("bootstrap.servers", kafka, "isolation.level", "read_committed",
                "enable.auto.commit", false);
        try (KafkaConsumer<byte[], byte[]> in = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = in.partitionsFor("import.jobs").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            in.assign(partitions);
            in.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = in.endOffsets(partitions);
            byte[] prefix = (importId + ":").getBytes(StandardCharsets.UTF_8);
            while (partitions.stream().anyMatch(tp -> in.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(500))) {
                    if (r.key() != null && Arrays.equals(r.key(), 0, Math.min(prefix.length, r.key().length), prefix, 0, prefix.length)) {
                        jobs.add(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()));
                    }
                }
            }
        }
        Map<String, Object> settings = uploadProducerSettings(kafka);
        settings.put("transactional.id", "bench-raw-jobs");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            producer.beginTransaction();
            jobs.forEach(producer::send);
            producer.commitTransaction();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("raw transactional produce of the import's %d job records (%,d bytes): %.2f s%n", jobs.size(),
                    jobs.stream().mapToLong(j -> j.value().length).sum(), secs(took));
            return took;
        }
    }

    /** The upload producer's settings (import-app's JobPublisher). */
    private static Map<String, Object> uploadProducerSettings(String kafka) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", kafka);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 10);
        props.put("compression.type", "lz4");
        props.put("batch.size", 256 * 1024);
        return props;
    }

    private static String newTopic(String kafka, String prefix) throws Exception {
        String topic = prefix + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static void report(int rows, long bytes, List<Result> runs, Duration baseline, Duration jobsBaseline, long peakHeap,
            Map<String, Object> warmUp) throws IOException {
        double mb = bytes / 1e6;
        System.out.println();
        System.out.printf("%-28s %9s %11s %7s %8s %9s %8s %9s %-22s %9s%n", "run", "seconds", "rows/s", "MB/s", "vs base",
                "202 s", "202 vs", "broker", "import-app CPU s/1k rows", "machine");
        System.out.printf("%-28s %9.2f %,11.0f %7.1f %8s%n", "raw producer (baseline)", secs(baseline),
                rows / secs(baseline), mb / secs(baseline), "1.00x");
        System.out.printf("%-28s %9.2f %11s %7s %8s%n", "raw tx produce of the jobs", secs(jobsBaseline), "", "", "");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P1 import: upload -> COMPLETED on WebSocket");
        json.put("at", Instant.now().toString());
        json.put("rows", rows);
        json.put("csvBytes", bytes);
        json.put("baselineSeconds", secs(baseline));
        json.put("baselineRowsPerSecond", rows / secs(baseline));
        json.put("jobsTransactionBaselineSeconds", secs(jobsBaseline));
        json.put("importerWorkersPerProcess", WORKERS);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Result r : runs) {
            double perK = 1000.0 / rows;
            String cpu = String.join(" + ", r.importAppCpu().stream().map(c -> String.format("%.3f", c * perK)).toList());
            double machine = (r.importAppCpu().stream().mapToDouble(Double::doubleValue).sum() + r.brokerCpu()) / secs(r.completed());
            System.out.printf("%-28s %9.2f %,11.0f %7.1f %7.2fx %9.2f %7.2fx %9.3f %-22s %8.2f%n", r.run(), secs(r.completed()),
                    rows / secs(r.completed()), mb / secs(r.completed()), secs(r.completed()) / secs(baseline), secs(r.accepted()),
                    secs(r.accepted()) / secs(jobsBaseline), r.brokerCpu() * perK, cpu, machine);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.run());
            m.put("importAppProcesses", r.importAppCpu().size());
            m.put("acceptedSeconds", secs(r.accepted()));
            m.put("acceptedRatioToJobsTransaction", secs(r.accepted()) / secs(jobsBaseline));
            m.put("completedSeconds", secs(r.completed()));
            m.put("rowsPerSecond", rows / secs(r.completed()));
            m.put("mbPerSecond", mb / secs(r.completed()));
            m.put("ratioToBaseline", secs(r.completed()) / secs(baseline));
            m.put("importAppCpuSecondsPer1000Rows", r.importAppCpu().stream().map(c -> c * perK).toList());
            m.put("brokerCpuSecondsPer1000Rows", r.brokerCpu() * perK);
            m.put("coresUsedByImportAppsAndBroker", machine);
            m.put("jitCompilerCpuSeconds", r.jitCpu());
            results.add(m);
        }
        System.out.printf("(broker and import-app columns: CPU seconds per 1,000 rows, one figure per import-app process; machine: "
                + "cores the import-apps and the broker used on average)%n");
        System.out.printf("%-28s %,d MB (-Xmx512m)%n", "import-app peak heap", peakHeap / (1024 * 1024));
        System.out.printf("JIT compilers of the JVMs involved (broker, notify-app, import-apps), CPU s per run: %s%n",
                String.join(", ", runs.stream().map(r -> String.format("%s %.1f", r.run(), r.jitCpu())).toList()));
        System.out.printf("before the warm run: %s warm-up imports of %,d rows in %.1f s (JIT %s)%n", warmUp.get("rounds"),
                warmUp.get("rowsEach"), warmUp.get("seconds"), Boolean.TRUE.equals(warmUp.get("jitSettled")) ? "settled" : "NOT settled");
        json.put("warmUpBeforeWarmRun", warmUp);
        json.put("runs", results);
        json.put("importAppPeakHeapBytes", peakHeap);
        json.put("importAppXmx", "512m");
        json.put("importAppJvmArgs", System.getProperty("bench.import.jvm-args", ""));
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        Path out = BenchMachine.results("import.json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
    }

    private static double secs(Duration d) {
        return d.toNanos() / 1e9;
    }

    /** import-app process {@code n} (-Xmx512m), instance id {@code bench-<n>}. */
    private static JavaProcess importApp(int n, int port, Map<String, String> config) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put("eventkit.instance-id", "bench-" + n);
        if (System.getProperty("bench.import.workers") != null) { // else the app's default (and an older build runs)
            c.put("import.importer.workers", Integer.toString(WORKERS));
        }
        JavaProcess.Builder b = BenchApp.builder("import-app", "import-app-" + n, port).jvmArg("-Xmx512m");
        // -Dbench.import.jvm-args="-XX:... -XX:...": JVM options of the import-app processes, for experiments
        Arrays.stream(System.getProperty("bench.import.jvm-args", "").split("\\s+")).filter(a -> !a.isBlank())
                .forEach(b::jvmArg);
        return app(b, "import-app-" + n, c);
    }

    private static JavaProcess app(String module, String name, int port, String xmx, Map<String, String> config) {
        return app(BenchApp.builder(module, name, port).jvmArg(xmx), name, config);
    }

    private static JavaProcess app(JavaProcess.Builder b, String name, Map<String, String> config) {
        if (Boolean.getBoolean("bench.import.jfr")) { // a CPU profile of each app: target/bench-import/<name>.jfr
            b.jvmArg("-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of("target", "bench-import", name + ".jfr").toAbsolutePath());
        }
        config.forEach(b::systemProperty);
        return b.start().process();
    }

    /** ~70 bytes per row like a real contacts export; all rows valid so rows imported == rows. */
    private static long generate(Path csv, int rows) throws IOException {
        if (!Files.exists(csv)) {
            try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                out.write("email,name,country,phone\n");
                String[] countries = { "FR", "DE", "US", "JP", "BR", "IN" };
                for (int i = 1; i <= rows; i++) {
                    out.write("user" + i + "@bench.example.com,Person Number " + i + "," + countries[i % 6] + ",+1 555 01" + (i % 100)
                            + "\n");
                }
            }
        }
        return Files.size(csv);
    }
}
