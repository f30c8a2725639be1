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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
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

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        // The contacts view holds every contact in memory (~370 B each): 1M of them do not fit next to the jobs
        // service in 512 MB, so by default the benchmarked instance is an importer-only one (-Dbench.contacts-view=true).
        String view = System.getProperty("bench.contacts-view", "false");
        Path work = Files.createDirectories(Path.of("target", "bench-import"));
        Path csv = work.resolve("contacts-" + rows + ".csv");
        long csvBytes = generate(csv, rows);
        System.out.printf("CSV: %,d rows, %,d bytes (%.1f bytes/row)%n", rows, csvBytes, (double) csvBytes / rows);

        Path data = Files.createTempDirectory(work, "kafka-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, List.of("-Xmx1g", "-XX:+UseG1GC"))) {
            String kafka = broker.bootstrapServers();
            int notifyPort = KafkaBroker.freePort();
            int importPort = KafkaBroker.freePort();
            // started side by side (each waits for its own ready line); a failed start ends this JVM, and
            // JavaProcess' shutdown hook stops the other one
            CompletableFuture<JavaProcess> importStart = CompletableFuture.supplyAsync(() -> app("import-app", importPort,
                    "-Xmx512m", Map.of("kafka.bootstrap.servers", kafka, "quarkus.http.cors.origins",
                            "http://localhost:" + notifyPort, "import.contacts-view.enabled", view)));
            JavaProcess notifyApp = app("notify-app", notifyPort, "-Xmx512m", Map.of("kafka.bootstrap.servers", kafka,
                    "notify.page.import-url", "http://localhost:" + importPort));
            JavaProcess importApp = importStart.join();
            try {
                Result e2e = importOnce(csv, rows, importPort, notifyPort);
                Result warm = importOnce(csv, rows, importPort, notifyPort); // second run: JIT warm
                long peakHeap = Json.mapper().readTree(BenchApp.ops(HttpClient.newHttpClient(), importPort, "/ops/heap"))
                        .get("peak").asLong();
                Duration baseline = rawProducer(kafka, csv, rows);
                report(rows, csvBytes, List.of(e2e, warm), baseline, peakHeap, Boolean.parseBoolean(view));
            } finally {
                importApp.stop(Duration.ofSeconds(20));
                notifyApp.stop(Duration.ofSeconds(20));
            }
        }
        BenchMachine.deleteRecursively(data);
    }

    record Result(String run, Duration accepted, Duration completed) {
    }

    /**
     * Upload -> 202 -> COMPLETED on a WebSocket, as the page does: import-app chooses the channel, so the socket opens
     * once the 202 is in and replays the channel from its first event (nothing sent before is missed).
     */
    private static Result importOnce(Path csv, int rows, int importPort, int notifyPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long start = System.nanoTime();
        ProgressChannels.Accepted accepted = ProgressChannels.upload(http, importPort, csv);
        Duration acceptedAfter = Duration.ofNanos(System.nanoTime() - start);
        AggregationLatency.Frames frames = new AggregationLatency.Frames();
        WebSocket ws = ProgressChannels.watch(http, notifyPort, accepted, frames);
        JsonNode done = frames.done.get(15, TimeUnit.MINUTES);
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        if (!"COMPLETED".equals(done.get("type").asText()) || done.get("rowsImported").asLong() != rows) {
            throw new IllegalStateException("import did not complete with all rows: " + done);
        }
        return new Result("import", acceptedAfter, total);
    }

    /** The baseline: one record per CSV row, same sizes, the jobs producer's settings, to the same broker. */
    private static Duration rawProducer(String kafka, Path csv, int rows) throws Exception {
        String topic = "bench.raw-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<byte[]> lines = new ArrayList<>(rows);
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", kafka);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("linger.ms", 10);
        props.put("compression.type", "lz4");
        props.put("batch.size", 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
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

    private static void report(int rows, long bytes, List<Result> runs, Duration baseline, long peakHeap, boolean view)
            throws IOException {
        double mb = bytes / 1e6;
        System.out.println();
        System.out.printf("%-34s %10s %12s %10s %12s%n", "run", "seconds", "rows/s", "MB/s", "vs baseline");
        System.out.printf("%-34s %10.2f %,12.0f %10.1f %12s%n", "raw producer (app settings)", secs(baseline),
                rows / secs(baseline), mb / secs(baseline), "1.00x");
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P1 import: upload -> COMPLETED on WebSocket");
        json.put("at", Instant.now().toString());
        json.put("rows", rows);
        json.put("csvBytes", bytes);
        json.put("baselineSeconds", secs(baseline));
        json.put("baselineRowsPerSecond", rows / secs(baseline));
        List<Map<String, Object>> results = new ArrayList<>();
        int n = 1;
        for (Result r : runs) {
            String name = "import e2e run " + n++ + (n == 2 ? " (cold)" : " (warm)");
            System.out.printf("%-34s %10.2f %,12.0f %10.1f %11.2fx%n", name, secs(r.completed()), rows / secs(r.completed()),
                    mb / secs(r.completed()), secs(r.completed()) / secs(baseline));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", name);
            m.put("acceptedSeconds", secs(r.accepted()));
            m.put("completedSeconds", secs(r.completed()));
            m.put("rowsPerSecond", rows / secs(r.completed()));
            m.put("mbPerSecond", mb / secs(r.completed()));
            m.put("ratioToBaseline", secs(r.completed()) / secs(baseline));
            results.add(m);
        }
        System.out.printf("%-34s %,d MB (-Xmx512m, contacts view %s)%n", "import-app peak heap", peakHeap / (1024 * 1024),
                view ? "on" : "off");
        System.out.printf("%-34s %s%n", "upload -> 202 (spool+validate+publish)",
                runs.stream().map(r -> String.format("%.2f s", secs(r.accepted()))).toList());
        json.put("runs", results);
        json.put("importAppPeakHeapBytes", peakHeap);
        json.put("importAppXmx", "512m");
        json.put("contactsView", view);
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

    private static JavaProcess app(String module, int port, String xmx, Map<String, String> config) {
        JavaProcess.Builder b = BenchApp.builder(module, module, port).jvmArg(xmx);
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
