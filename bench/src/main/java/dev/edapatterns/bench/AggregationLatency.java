package dev.edapatterns.bench;

import static dev.edapatterns.bench.BenchMachine.cpuSeconds;
import static dev.edapatterns.bench.AggregationBenchmark.log;
import static dev.edapatterns.bench.AggregationBenchmark.nowMicros;
import static dev.edapatterns.bench.AggregationBenchmark.percentile;
import static dev.edapatterns.bench.AggregationBenchmark.round;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * P6 (a): imports of {@code rows / job-rows} jobs (default 10,000 / 10 = 1,000) over N import-app processes (packaged
 * jar, own HTTP port and {@code eventkit.instance-id} each) and a notify-app process, one import
 * at a time, each watched by a fresh WebSocket client on {@code /progress/{channelId}} as the page does: opened with
 * the channel and token of import-app's 202, replaying the channel from its first event.
 *
 * <p><b>"The last job's completion"</b> = the CreateTime of the import's latest {@code JOB_FINISHED} command on
 * {@code import.aggregate.commands}: the wall-clock moment the importer handed the last job's result to its
 * producer, inside that job's transaction. The broker does not stamp append times (CreateTime topics) and the commit
 * itself is not visible to a client, so this is the latest observable instant <i>before</i> the commit: the interval
 * to {@code COMPLETED} on the WebSocket therefore also contains the importer's own commit (conservative). All
 * processes run on this host, so CreateTimes (ms, truncated) and the client's receive time share one clock.
 *
 * <p>Where the time goes, per import (each from a timestamp, so the means add up to the total):
 * <ol>
 * <li>importer commit: last {@code JOB_FINISHED} sent -> all of the import's {@code JOB_FINISHED} readable by a
 * {@code read_committed} probe consumer in this JVM;</li>
 * <li>aggregate poll + reduce: -> CreateTime of {@code COMPLETED} (the writer's send of the emitted record);</li>
 * <li>rest of the batch: -> CreateTime of the import's last state record on {@code import.aggregate.store} (sent
 * after every command of the polled batch was reduced);</li>
 * <li>aggregate commit: -> {@code COMPLETED} readable by the probe (offsets, EndTxn, markers, fetch);</li>
 * <li>notify-app: -> the frame on the WebSocket client (feed fetch, hub, WebSocket).</li>
 * </ol>
 * A second definition is reported alongside: the last {@code CONSUMED} frame on the same WebSocket (written in the
 * same transaction as the last job's {@code JOB_FINISHED}) -> the {@code COMPLETED} frame: same client clock, same
 * notify-app path, so it isolates what the aggregate adds as the user sees it.
 */
final class AggregationLatency {

    private static final List<Topic<?, ?>> IMPORT_TOPICS = List.of(Topics.IMPORT_JOBS, Topics.IMPORT_CONTACTS,
            Topics.IMPORT_AGGREGATE_COMMANDS, Topics.IMPORT_AGGREGATE_STORE, Topics.PROGRESS, Topics.REFERENCE_TIMEZONES);
    private static final String APP_HEAP = "-Xmx256m";

    private final String kafka;
    private final long brokerPid;
    private final Path work;
    private final int instances;
    private final int rows;
    private final int jobRows;
    private final int imports;
    private final int warmup;
    private final double maxWarmUpSeconds = Double.parseDouble(AggregationBenchmark.prop("bench.agg.max-warmup-seconds", "120"));
    private final Map<String, Object> warmUpReport = new LinkedHashMap<>();
    private final String appConfig;
    private final HttpClient http = HttpClient.newHttpClient();

    AggregationLatency(String kafka, long brokerPid, Path work, int instances, int rows, int jobRows, int imports, int warmup,
            String appConfig) {
        this.appConfig = appConfig;
        this.kafka = kafka;
        this.brokerPid = brokerPid;
        this.work = work;
        this.instances = instances;
        this.rows = rows;
        this.jobRows = jobRows;
        this.imports = imports;
        this.warmup = warmup;
    }

    Map<String, Object> run(List<String> tables) throws Exception {
        Path csv = generate(work.resolve("contacts-" + rows + ".csv"), rows);
        createTopics();
        int notifyPort = KafkaBroker.freePort();
        int[] ports = new int[instances];
        String[] ids = new String[instances];
        List<CompletableFuture<JavaProcess>> starting = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            ports[i] = KafkaBroker.freePort();
            ids[i] = "aggbench-" + (i + 1);
            Map<String, String> config = new LinkedHashMap<>();
            config.put("kafka.bootstrap.servers", kafka);
            config.put("eventkit.instance-id", ids[i]);
            config.put("import.jobs.max-rows", Integer.toString(jobRows));
            config.put("quarkus.http.cors.origins", "http://localhost:" + notifyPort);
            // the e2e cluster's fast-failover settings (a dead member noticed in ~6 s); no effect on a healthy run
            config.put("kafka.session.timeout.ms", "6000");
            config.put("kafka.heartbeat.interval.ms", "1000");
            config.putAll(BenchApp.appConfig(appConfig)); // -Dbench.agg.app-config=k=v,k=v
            int port = ports[i];
            String id = ids[i];
            String gc = AggregationBenchmark.gcLogOption(work, "import-app-" + (i + 1));
            starting.add(CompletableFuture.supplyAsync(() -> app("import-app", "import-app-" + id, port, gc, config)));
        }
        String notifyGc = AggregationBenchmark.gcLogOption(work, "notify-app");
        starting.add(CompletableFuture.supplyAsync(() -> app("notify-app", "notify-app-aggbench", notifyPort, notifyGc,
                Map.of("kafka.bootstrap.servers", kafka, "notify.page.import-url", "http://localhost:" + ports[0]))));
        List<JavaProcess> apps = new ArrayList<>();
        for (CompletableFuture<JavaProcess> f : starting) {
            try {
                apps.add(f.join());
            } catch (RuntimeException e) {
                apps.forEach(p -> p.stop(Duration.ofSeconds(10)));
                throw e;
            }
        }
        List<JavaProcess> importApps = apps.subList(0, instances);
        JavaProcess notifyApp = apps.get(instances);
        KafkaClients clients = KafkaClients.of(kafka);
        try (Admin admin = Admin.create(clients.admin())) {
            for (int port : ports) {
                awaitReady(port);
            }
            awaitReady(notifyPort);
            awaitGroups(admin);
            log("P6 (a): %d import-app processes + notify-app ready; warm-up imports (at least %d, then until the JIT settles, "
                    + "at most %.0f s) + %d measured imports of %,d rows / %d rows per job", instances, warmup, maxWarmUpSeconds,
                    imports, rows, jobRows);
            List<Long> pids = new ArrayList<>(List.of(brokerPid, notifyApp.pid()));
            importApps.forEach(p -> pids.add(p.pid()));
            java.util.function.Supplier<List<Long>> ours = () -> pids;
            try (Probe probe = new Probe(clients)) {
                AggregationBenchmark.awaitQuiet(ours);
                // at least the fixed warm-up, then on until the JVMs' JIT compilers have settled (or the bound passed): the
                // first ten or so imports of a run with only the fixed warm-up were its slowest
                warmUpReport.putAll(new JitWarmUp("warm-up import", pids, JitWarmUp.SETTLED_CORE_SHARE, maxWarmUpSeconds, Math.max(1, warmup)).run(n -> {
                    Sample s = importOnce(-1 - n, csv, ports, notifyPort, probe, admin);
                    log("warm-up %d: %s", n + 1, s.summary());
                }));
                Map<Integer, Integer> ownerBefore = aggregateOwners(admin);
                Measured m = new Measured(); // CPU, wall, machine and pressure summed over the kept imports only
                List<Sample> samples = new ArrayList<>();
                int attempt = 0;
                int discarded = 0;
                while (samples.size() < imports) {
                    Map<String, Double> c0 = cpu(importApps, notifyApp);
                    double m0 = BenchMachine.machineBusySeconds();
                    double p0 = AggregationBenchmark.cpuPressureSeconds();
                    long w0 = System.nanoTime();
                    AggregationBenchmark.OtherCpu other = new AggregationBenchmark.OtherCpu(ours).start();
                    Sample s = importOnce(attempt++, csv, ports, notifyPort, probe, admin);
                    s.otherCpu = other.fraction();
                    s.otherCpuSeconds = other.seconds();
                    if (!s.watchedLive()) {
                        m.completedBeforeSocket++;
                        log("import discarded (its last job finished before the WebSocket was open): %s", s.summary());
                        if (m.completedBeforeSocket > 3 * imports) {
                            throw new IllegalStateException("imports finish before a WebSocket opens after the 202: "
                                    + "make them larger (-Dbench.agg.rows)");
                        }
                        continue;
                    }
                    if (s.otherCpu > AggregationBenchmark.maxOtherCpu()) {
                        discarded++;
                        log("import discarded (other processes used %.0f%% of the machine during it): %s", 100 * s.otherCpu,
                                s.summary());
                        if (discarded > 3 * imports) {
                            throw new IllegalStateException("the machine is never quiet: " + discarded + " imports discarded");
                        }
                        AggregationBenchmark.awaitQuiet(ours);
                        continue;
                    }
                    Map<String, Double> c1 = cpu(importApps, notifyApp);
                    c1.forEach((k, v) -> m.cpu.merge(k, v - c0.get(k), Double::sum));
                    m.machine += BenchMachine.machineBusySeconds() - m0;
                    m.pressure += AggregationBenchmark.cpuPressureSeconds() - p0;
                    m.wall += (System.nanoTime() - w0) / 1e9;
                    m.other += s.otherCpuSeconds;
                    samples.add(s);
                    int i = samples.size() - 1;
                    if (i < 5 || (i + 1) % 10 == 0) {
                        log("import %d/%d: %s", i + 1, imports, s.summary());
                    }
                }
                List<JsonNode> writers = new ArrayList<>();
                for (int port : ports) {
                    writers.add(writerStats(port));
                }
                Map<Integer, Integer> owners = aggregateOwners(admin);
                m.discarded = discarded;
                m.rebalanced = !owners.equals(ownerBefore);
                scanStore(clients, admin, samples);
                gcAnalysis(samples, owners, m);
                return report(samples, m, writers, tables);
            }
        } finally {
            List<CompletableFuture<Void>> stopping = new ArrayList<>();
            apps.forEach(p -> stopping.add(CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(20)))));
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        }
    }

    // --- one import -------------------------------------------------------------------------------------------

    /** Per import: client-side receive times (µs), record CreateTimes (ms) and probe receive times (µs). */
    static final class Sample {
        int index;
        String importId;
        int uploadedTo;
        int jobs;
        long rowsImported;
        long uploadMicros;
        long acceptedMicros;
        /** The WebSocket handshake done (notify-app subscribes it on open; replay and live frames share one lock). */
        long socketOpenMicros;
        long wsLastConsumedMicros;
        long wsCompletedMicros;
        int processedAfterLastConsumed;
        long maxJobFinishedCreateMs;
        long jobFinishedVisibleMicros;
        long completedCreateMs;
        long completedVisibleMicros;
        int commandPartition;
        Map<Integer, Long> storeStart;
        long stateCreateMs = -1;
        /** CreateTime of the import's state write before the last: the writer's previous transaction touching it. */
        long previousStateCreateMs = -1;
        int stateWrites;
        int finalStateBytes;
        double otherCpu;
        double otherCpuSeconds;
        /** GC pause time inside [last JOB_FINISHED sent, COMPLETED frame]: the aggregate's owner, the broker, the rest. */
        double gcOwnerMs;
        double gcBrokerMs;
        double gcOtherAppsMs;
        int owner = -1;

        /**
         * The socket was open before the last job's JOB_FINISHED was sent, so COMPLETED and the last CONSUMED (written
         * in that job's transaction) reached it live, not from the replay of an import already done.
         */
        boolean watchedLive() {
            return socketOpenMicros < maxJobFinishedCreateMs * 1000;
        }

        /** The headline: last JOB_FINISHED sent -> COMPLETED frame received. */
        double totalMs() {
            return (wsCompletedMicros - maxJobFinishedCreateMs * 1000) / 1000.0;
        }

        double wsToWsMs() {
            return (wsCompletedMicros - wsLastConsumedMicros) / 1000.0;
        }

        double importerCommitMs() {
            return (jobFinishedVisibleMicros - maxJobFinishedCreateMs * 1000) / 1000.0;
        }

        double aggregatePollReduceMs() {
            return (completedCreateMs * 1000 - jobFinishedVisibleMicros) / 1000.0;
        }

        double restOfBatchMs() {
            return stateCreateMs - completedCreateMs;
        }

        double aggregateCommitMs() {
            return (completedVisibleMicros - stateCreateMs * 1000) / 1000.0;
        }

        double notifyMs() {
            return (wsCompletedMicros - completedVisibleMicros) / 1000.0;
        }

        double importSeconds() {
            return (wsCompletedMicros - uploadMicros) / 1e6;
        }

        double acceptedMs() {
            return (acceptedMicros - uploadMicros) / 1000.0;
        }

        String summary() {
            return String.format("%s via #%d, %d jobs, upload->202 %.0f ms, upload->COMPLETED %.2f s, last job->COMPLETED "
                    + "on WS %.1f ms (last CONSUMED frame->COMPLETED frame %.1f ms, %d PROCESSED frames between)", importId,
                    uploadedTo + 1, jobs, acceptedMs(), importSeconds(), totalMs(), wsToWsMs(), processedAfterLastConsumed);
        }
    }

    /**
     * One import, watched as the page watches it: import-app chooses the channel, so the WebSocket opens once the 202
     * is in and replays the channel from its first event. The measured interval starts at the last job's
     * {@code JOB_FINISHED}; {@link Sample#watchedLive} tells whether the socket was open by then.
     */
    private Sample importOnce(int index, Path csv, int[] ports, int notifyPort, Probe probe, Admin admin) throws Exception {
        Frames frames = new Frames();
        Sample s = new Sample();
        s.index = index;
        s.storeStart = endOffsets(admin, Topics.IMPORT_AGGREGATE_STORE.name());
        s.uploadedTo = Math.floorMod(index, ports.length);
        s.uploadMicros = nowMicros();
        ProgressChannels.Accepted accepted = ProgressChannels.upload(http, ports[s.uploadedTo], csv);
        s.acceptedMicros = nowMicros();
        WebSocket ws = ProgressChannels.watch(http, notifyPort, accepted, frames);
        s.socketOpenMicros = nowMicros();
        s.importId = accepted.importId();
        JsonNode done = frames.done.get(5, TimeUnit.MINUTES);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        if (!"COMPLETED".equals(done.get("type").asText()) || done.get("rowsImported").asLong() != rows) {
            throw new IllegalStateException("import did not complete with all rows: " + done);
        }
        s.jobs = done.get("jobsTotal").asInt();
        s.rowsImported = done.get("rowsImported").asLong();
        s.wsCompletedMicros = frames.completedMicros;
        s.wsLastConsumedMicros = frames.lastConsumedMicros;
        s.processedAfterLastConsumed = frames.processedAfterLastConsumed;
        if (frames.consumed != s.jobs) { // a job processed twice (rebalance) sends CONSUMED twice: worth knowing
            log("note: %d CONSUMED frames for %d jobs of import %s", frames.consumed, s.jobs, s.importId);
        }
        Probe.Track t = probe.await(s.importId, Duration.ofSeconds(30));
        synchronized (t) {
            s.maxJobFinishedCreateMs = t.maxJobFinishedCreateMs;
            s.jobFinishedVisibleMicros = t.jobFinishedVisibleMicros;
            s.completedCreateMs = t.completedCreateMs;
            s.completedVisibleMicros = t.completedVisibleMicros;
            s.commandPartition = t.commandPartition;
        }
        Thread.sleep(200); // let the tail (views, feed history) settle before the next upload
        return s;
    }

    /** The WebSocket client: receive time of every frame (µs), taken before parsing. */
    static final class Frames implements WebSocket.Listener {
        final CompletableFuture<JsonNode> done = new CompletableFuture<>();
        private final StringBuilder frame = new StringBuilder();
        private long firstFragmentMicros;
        volatile long lastConsumedMicros;
        volatile long completedMicros;
        volatile int consumed;
        volatile int processedAfterLastConsumed;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (frame.length() == 0) {
                firstFragmentMicros = nowMicros();
            }
            frame.append(data);
            if (last) {
                long at = firstFragmentMicros;
                try {
                    JsonNode event = Json.mapper().readTree(frame.toString());
                    switch (event.get("type").asText()) {
                        case "CONSUMED" -> {
                            consumed++;
                            lastConsumedMicros = at;
                            processedAfterLastConsumed = 0;
                        }
                        case "PROCESSED" -> processedAfterLastConsumed++;
                        case "COMPLETED", "FAILED" -> {
                            completedMicros = at;
                            done.complete(event);
                        }
                        default -> {
                        }
                    }
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
                frame.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            done.completeExceptionally(new IllegalStateException("WebSocket closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            done.completeExceptionally(error);
        }
    }

    /**
     * A {@code read_committed} consumer in this JVM on every partition of {@code import.aggregate.commands} and
     * {@code progress}: when each import's JOB_FINISHED commands and its COMPLETED event became readable, and
     * their CreateTimes.
     */
    static final class Probe implements AutoCloseable {

        static final class Track {
            final Set<Integer> jobs = new HashSet<>();
            int commandPartition = -1;
            long maxJobFinishedCreateMs;
            long jobFinishedVisibleMicros;
            long completedCreateMs;
            long completedVisibleMicros;
        }

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Deserializer<ImportCommand> commands = Topics.IMPORT_AGGREGATE_COMMANDS.valueDeserializer();
        private final Deserializer<ProgressEvent> progress = Topics.PROGRESS.valueDeserializer();
        private final Map<String, Track> tracks = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        Probe(KafkaClients clients) {
            consumer = new KafkaConsumer<>(clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.CLIENT_ID_CONFIG, "aggbench-probe")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.IMPORT_AGGREGATE_COMMANDS.name(), Topics.PROGRESS.name())) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve now, before any upload
            thread = new Thread(this::run, "aggbench-probe");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long at = nowMicros();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.topic().equals(Topics.IMPORT_AGGREGATE_COMMANDS.name())) {
                            ImportCommand c = decode(commands, r);
                            if (c != null && c.type() == ImportCommand.Type.JOB_FINISHED) {
                                Track t = track(c.importId());
                                synchronized (t) {
                                    t.commandPartition = r.partition();
                                    if (t.jobs.add(c.jobIndex())) {
                                        t.maxJobFinishedCreateMs = Math.max(t.maxJobFinishedCreateMs, r.timestamp());
                                        if (t.jobs.size() == c.jobsTotal()) {
                                            t.jobFinishedVisibleMicros = at;
                                        }
                                    }
                                }
                            }
                        } else {
                            ProgressEvent e = decode(progress, r);
                            if (e != null && e.type() == ProgressType.COMPLETED) {
                                Track t = track(e.importId());
                                synchronized (t) {
                                    t.completedCreateMs = r.timestamp();
                                    t.completedVisibleMicros = at;
                                }
                            }
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        private static <V> V decode(Deserializer<V> d, ConsumerRecord<byte[], byte[]> r) {
            try {
                return d.deserialize(r.topic(), r.headers(), r.value());
            } catch (RuntimeException e) {
                return null;
            }
        }

        private Track track(String importId) {
            return tracks.computeIfAbsent(importId, k -> new Track());
        }

        Track await(String importId, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            Track t = track(importId);
            while (System.nanoTime() < deadline) {
                synchronized (t) {
                    if (t.jobFinishedVisibleMicros > 0 && t.completedVisibleMicros > 0) {
                        return t;
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("the probe did not see all JOB_FINISHED and COMPLETED of import " + importId);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    /**
     * After the run (so it costs nothing during it): for each import, the records of its key on its store partition
     * between its upload and the next one: how many state writes (= aggregate transactions that touched it), the
     * CreateTime and size of the last (the COMPLETED state).
     */
    private void scanStore(KafkaClients clients, Admin admin, List<Sample> samples) {
        Map<Integer, Long> end = endOffsets(admin, Topics.IMPORT_AGGREGATE_STORE.name());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(clients.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "aggbench-store-scan")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (int i = 0; i < samples.size(); i++) {
                Sample s = samples.get(i);
                int p = s.commandPartition;
                long from = s.storeStart.get(p);
                long to = i + 1 < samples.size() ? samples.get(i + 1).storeStart.get(p) : end.get(p);
                TopicPartition tp = new TopicPartition(Topics.IMPORT_AGGREGATE_STORE.name(), p);
                c.assign(List.of(tp));
                c.seek(tp, from);
                byte[] key = s.importId.getBytes(StandardCharsets.UTF_8);
                while (c.position(tp) < to) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        if (r.offset() < to && java.util.Arrays.equals(r.key(), key)) {
                            s.stateWrites++;
                            s.previousStateCreateMs = s.stateCreateMs;
                            s.stateCreateMs = r.timestamp();
                            s.finalStateBytes = r.value() == null ? 0 : r.value().length;
                        }
                    }
                }
                if (s.stateCreateMs < 0) {
                    throw new IllegalStateException("no state record of import " + s.importId + " on " + tp);
                }
            }
        }
    }

    /** Sums over the kept imports. */
    static final class Measured {
        final Map<String, Double> cpu = new LinkedHashMap<>();
        double wall;
        double machine;
        double pressure;
        double other;
        int discarded;
        /** Imports repeated because their last job finished before the WebSocket was open (too small to measure). */
        int completedBeforeSocket;
        boolean rebalanced;
        final Map<String, Map<String, Object>> gc = new LinkedHashMap<>();
    }

    /** Command partition -> index of the import-app whose aggregate writer owns it (static member ids). */
    private Map<Integer, Integer> aggregateOwners(Admin admin) throws Exception {
        Map<Integer, Integer> owners = new java.util.TreeMap<>();
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("atomic-import-aggregate")).all()
                .get(30, TimeUnit.SECONDS).get("atomic-import-aggregate");
        for (var member : d.members()) {
            String id = member.groupInstanceId().orElse("");
            for (int i = 0; i < instances; i++) {
                if (id.equals("import-app-import-aggregate-aggbench-" + (i + 1))) {
                    int index = i;
                    member.assignment().topicPartitions().forEach(tp -> owners.put(tp.partition(), index));
                }
            }
        }
        return owners;
    }

    /** GC pauses from the child JVMs' logs: per process over the kept imports, and inside each import's interval. */
    private void gcAnalysis(List<Sample> samples, Map<Integer, Integer> owners, Measured m) {
        AggregationGcLog broker = AggregationGcLog.read(work.resolve("gc-broker.log"));
        AggregationGcLog notify = AggregationGcLog.read(work.resolve("gc-notify-app.log"));
        List<AggregationGcLog> importApps = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            importApps.add(AggregationGcLog.read(work.resolve("gc-import-app-" + (i + 1) + ".log")));
        }
        Map<String, AggregationGcLog> all = new LinkedHashMap<>();
        all.put("broker", broker);
        for (int i = 0; i < instances; i++) {
            all.put("import-app-" + (i + 1), importApps.get(i));
        }
        all.put("notify-app", notify);
        all.forEach((name, log) -> {
            int count = 0;
            double total = 0;
            double max = 0;
            for (Sample s : samples) {
                for (var p : log.pauses(s.uploadMicros, s.wsCompletedMicros)) {
                    count++;
                    total += p.ms();
                    max = Math.max(max, p.ms());
                }
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("pauses", count);
            g.put("totalMs", round(total, 1));
            g.put("maxMs", round(max, 1));
            m.gc.put(name, g);
        });
        for (Sample s : samples) {
            long from = s.maxJobFinishedCreateMs * 1000;
            long to = s.wsCompletedMicros;
            s.owner = owners.getOrDefault(s.commandPartition, -1);
            s.gcBrokerMs = broker.pausedMs(from, to);
            s.gcOtherAppsMs = notify.pausedMs(from, to);
            for (int i = 0; i < instances; i++) {
                if (i == s.owner) {
                    s.gcOwnerMs = importApps.get(i).pausedMs(from, to);
                } else {
                    s.gcOtherAppsMs += importApps.get(i).pausedMs(from, to);
                }
            }
        }
    }

    // --- report -------------------------------------------------------------------------------------------------

    private Map<String, Object> report(List<Sample> samples, Measured me, List<JsonNode> writers, List<String> tables) {
        double wall = me.wall;
        int n = samples.size();
        record Row(String key, String label, ToDoubleFunction<Sample> f) {
        }
        List<Row> table = List.of(
                new Row("lastJobFinishedToCompletedOnWebSocketMs", "last JOB_FINISHED sent -> COMPLETED on WebSocket",
                        Sample::totalMs),
                new Row("importerCommitMs", "  1 importer commit: -> last JOB_FINISHED readable", Sample::importerCommitMs),
                new Row("aggregatePollReduceMs", "  2 aggregate poll+reduce: -> COMPLETED sent", Sample::aggregatePollReduceMs),
                new Row("aggregateRestOfBatchMs", "  3 rest of batch: -> batch's state sent", Sample::restOfBatchMs),
                new Row("aggregateCommitMs", "  4 aggregate commit: -> COMPLETED readable", Sample::aggregateCommitMs),
                new Row("notifyAppToWebSocketMs", "  5 notify-app feed+hub+WebSocket -> frame", Sample::notifyMs),
                new Row("lastConsumedFrameToCompletedFrameMs", "last CONSUMED frame -> COMPLETED frame (same WS)",
                        Sample::wsToWsMs));
        StringBuilder t = new StringBuilder();
        int jobs = samples.get(0).jobs;
        t.append(String.format("P6 (a) last job's completion -> COMPLETED on a WebSocket: %d imports x %,d jobs (%,d rows, %d "
                + "rows/job) over %d import-app processes%s%n", n, jobs, rows, jobRows, instances,
                appConfig.isEmpty() ? "" : ", import-app with " + appConfig));
        t.append(String.format("%-52s %9s %9s %9s %9s%n", "interval (ms)", "p50", "mean", "p99", "max"));
        Map<String, Object> intervals = new LinkedHashMap<>();
        for (Row r : table) {
            List<Double> v = samples.stream().map(s -> r.f().applyAsDouble(s)).toList();
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            t.append(String.format("%-52s %9.1f %9.1f %9.1f %9.1f%n", r.label(), percentile(v, 50), mean, percentile(v, 99),
                    percentile(v, 100)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p50", round(percentile(v, 50), 2));
            m.put("mean", round(mean, 2));
            m.put("p90", round(percentile(v, 90), 2));
            m.put("p99", round(percentile(v, 99), 2));
            m.put("max", round(percentile(v, 100), 2));
            intervals.put(r.key(), m);
        }
        List<Double> total = samples.stream().map(Sample::totalMs).toList();
        double p99 = percentile(total, 99);
        List<Double> writes = samples.stream().map(s -> (double) s.stateWrites).toList();
        List<Double> secs = samples.stream().map(Sample::importSeconds).toList();
        List<Double> accepted = samples.stream().map(Sample::acceptedMs).toList();
        List<Double> between = samples.stream().map(s -> (double) s.processedAfterLastConsumed).toList();
        List<Double> stateKb = samples.stream().map(s -> s.finalStateBytes / 1024.0).toList();
        t.append(String.format("target p99 <= 100 ms: %s (p99 = %.1f ms; nearest rank %d of %d)%n", p99 <= 100 ? "MET" : "MISSED",
                p99, (int) Math.ceil(0.99 * n), n));
        t.append(String.format("per import (median): upload->202 %.0f ms, upload->COMPLETED %.2f s (%.0f jobs/s), %d aggregate "
                + "transactions touched it (%.1f commands each), final state %.1f KB, %d PROCESSED frames after the last "
                + "CONSUMED frame%n", percentile(accepted, 50), percentile(secs, 50), jobs / percentile(secs, 50),
                (long) percentile(writes, 50), (jobs + 1) / percentile(writes, 50), percentile(stateKb, 50),
                (long) percentile(between, 50)));
        Map<String, Object> cpu = new LinkedHashMap<>();
        StringBuilder cpuLine = new StringBuilder("CPU seconds per import (2 cores x wall = " + String.format("%.1f", 2 * wall / n)
                + " s available):");
        me.cpu.forEach((name, used) -> {
            double perImport = used / n;
            cpu.put(name, round(perImport, 3));
            cpuLine.append(String.format(" %s %.2f,", name, perImport));
        });
        cpuLine.setLength(cpuLine.length() - 1);
        t.append(cpuLine).append('\n');
        t.append(String.format("machine busy %.0f%% of 2 cores during the kept imports, a task waiting for a CPU %.0f%% of the time "
                + "(PSI); other processes: %.1f CPU s (%.1f%% of the machine); %d imports discarded and repeated (other "
                + "processes over %.0f%% during them), %d (finished before their WebSocket was open)%s%n",
                100 * me.machine / (2 * wall), 100 * me.pressure / wall, me.other, 100 * me.other / (2 * wall), me.discarded,
                100 * AggregationBenchmark.maxOtherCpu(), me.completedBeforeSocket,
                me.rebalanced ? "; the aggregate group REBALANCED during the run" : ""));
        StringBuilder gcLine = new StringBuilder("GC pauses during the kept imports (count/total/max ms):");
        me.gc.forEach((name, g) -> gcLine.append(String.format(" %s %s/%s/%s,", name, g.get("pauses"), g.get("totalMs"), g.get("maxMs"))));
        gcLine.setLength(gcLine.length() - 1);
        t.append(gcLine).append('\n');
        List<Sample> slow = samples.stream().filter(s -> s.totalMs() > 50).toList();
        if (!slow.isEmpty()) {
            t.append(String.format("%d imports over 50 ms: mean %.0f ms, of it GC pauses inside the interval: aggregate owner %.1f ms, "
                    + "broker %.1f ms, other apps %.1f ms; mean %.0f PROCESSED frames after the last CONSUMED frame (1 in the "
                    + "others)%n", slow.size(), slow.stream().mapToDouble(Sample::totalMs).average().orElse(0),
                    slow.stream().mapToDouble(s -> s.gcOwnerMs).average().orElse(0),
                    slow.stream().mapToDouble(s -> s.gcBrokerMs).average().orElse(0),
                    slow.stream().mapToDouble(s -> s.gcOtherAppsMs).average().orElse(0),
                    slow.stream().mapToDouble(s -> s.processedAfterLastConsumed).average().orElse(0)));
        }
        long applied = 0;
        long transactions = 0;
        long aborted = 0;
        long duplicates = 0;
        for (JsonNode w : writers) {
            applied += w.path("applied").asLong();
            transactions += w.path("transactions").asLong();
            aborted += w.path("aborted").asLong();
            duplicates += w.path("duplicates").asLong();
        }
        t.append(String.format("aggregate writers (whole run: %d warm-up imports, the measured ones, any discarded): %,d commands "
                + "applied in %,d transactions, %d aborted, %d duplicates skipped%n", warmUpReport.get("rounds"), applied,
                transactions, aborted, duplicates));
        tables.add(t.toString());
        System.out.println();
        System.out.print(t);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("definition", "last job's completion = max CreateTime of the import's JOB_FINISHED commands (the importer's "
                + "send inside the job's transaction, just before its commit; no LogAppendTime on these topics); end = "
                + "COMPLETED frame received by a WebSocket client of notify-app /progress/{channelId}; same host clock");
        json.put("imports", n);
        json.put("warmupImports", warmUpReport.get("rounds"));
        json.put("warmUp", warmUpReport);
        json.put("jobsPerImport", jobs);
        json.put("rowsPerImport", rows);
        json.put("jobRows", jobRows);
        json.put("importAppProcesses", instances);
        json.put("importAppExtraConfig", appConfig);
        json.put("appHeap", APP_HEAP);
        json.put("targetP99Ms", 100);
        json.put("targetMet", p99 <= 100);
        json.put("intervals", intervals);
        json.put("uploadTo202MsMedian", round(percentile(accepted, 50), 1));
        json.put("uploadToCompletedSecondsMedian", round(percentile(secs, 50), 3));
        json.put("aggregateTransactionsPerImportMedian", percentile(writes, 50));
        json.put("finalStateBytesMedian", percentile(samples.stream().map(s -> (double) s.finalStateBytes).toList(), 50));
        json.put("processedFramesAfterLastConsumedMedian", percentile(between, 50));
        json.put("cpuSecondsPerImport", cpu);
        json.put("aggregateWriters", writers);
        json.put("measuredWallSeconds", round(wall, 1));
        json.put("at", java.time.Instant.now().toString());
        json.put("machineBusyCpuSeconds", round(me.machine, 1));
        json.put("cpuPressureSeconds", round(me.pressure, 1));
        json.put("gcPauses", me.gc);
        json.put("aggregateGroupRebalanced", me.rebalanced);
        json.put("discardedImports", me.discarded);
        json.put("importsCompletedBeforeSocketOpen", me.completedBeforeSocket);
        json.put("maxOtherCpuFraction", AggregationBenchmark.maxOtherCpu());
        json.put("otherProcessesCpuSeconds", round(me.other, 1));
        List<Map<String, Object>> raw = new ArrayList<>();
        for (Sample s : samples) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("importId", s.importId);
            m.put("uploadedTo", s.uploadedTo + 1);
            m.put("commandPartition", s.commandPartition);
            m.put("totalMs", round(s.totalMs(), 2));
            m.put("importerCommitMs", round(s.importerCommitMs(), 2));
            m.put("aggregatePollReduceMs", round(s.aggregatePollReduceMs(), 2));
            m.put("aggregateRestOfBatchMs", round(s.restOfBatchMs(), 2));
            m.put("aggregateCommitMs", round(s.aggregateCommitMs(), 2));
            m.put("notifyMs", round(s.notifyMs(), 2));
            m.put("wsToWsMs", round(s.wsToWsMs(), 2));
            m.put("processedFramesAfterLastConsumed", s.processedAfterLastConsumed);
            // small: the writer was still busy with (committing) its previous transaction when the last job became readable
            m.put("previousStateSentToLastJobReadableMs", round((s.jobFinishedVisibleMicros - s.previousStateCreateMs * 1000) / 1000.0, 2));
            m.put("stateWrites", s.stateWrites);
            m.put("importSeconds", round(s.importSeconds(), 3));
            m.put("otherCpuFraction", round(s.otherCpu, 4));
            m.put("aggregateOwner", s.owner + 1);
            m.put("gcPauseOwnerMs", round(s.gcOwnerMs, 2));
            m.put("gcPauseBrokerMs", round(s.gcBrokerMs, 2));
            m.put("gcPauseOtherAppsMs", round(s.gcOtherAppsMs, 2));
            raw.add(m);
        }
        json.put("samples", raw);
        return json;
    }

    /** The import aggregate writer's counters of one instance ({@code GET /ops/stores}). */
    private JsonNode writerStats(int port) throws Exception {
        String body = BenchApp.ops(http, port, "/ops/stores");
        for (JsonNode store : Json.mapper().readTree(body)) {
            if (Topics.IMPORT_AGGREGATE_STORE.name().equals(store.path("topic").asText()) && store.hasNonNull("writer")) {
                return store.get("writer");
            }
        }
        throw new IllegalStateException("no aggregate writer in /ops/stores on port " + port + ": " + body);
    }

    private Map<String, Double> cpu(List<JavaProcess> importApps, JavaProcess notifyApp) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put("broker", cpuSeconds(brokerPid));
        for (int i = 0; i < importApps.size(); i++) {
            cpu.put("import-app-" + (i + 1), cpuSeconds(importApps.get(i).pid()));
        }
        cpu.put("notify-app", cpuSeconds(notifyApp.pid()));
        cpu.put("bench (WS client, probe)", cpuSeconds(ProcessHandle.current().pid()));
        return cpu;
    }

    // --- set-up -------------------------------------------------------------------------------------------------

    /** Created up front from the catalog, so the apps starting in parallel only verify them. */
    private void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = IMPORT_TOPICS.stream().filter(tp -> !existing.contains(tp.name()))
                    .map(tp -> new NewTopic(tp.name(), tp.partitions(), (short) 1).configs(tp.topicConfigs())).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static JavaProcess app(String module, String processName, int port, String gcLog, Map<String, String> config) {
        JavaProcess.Builder b = BenchApp.builder(module, processName, port).jvmArg(APP_HEAP).jvmArg(gcLog)
                .readyTimeout(Duration.ofSeconds(180));
        config.forEach(b::systemProperty);
        return b.start().process();
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int status = -1;
        while (System.nanoTime() < deadline) {
            try {
                status = http.send(HttpRequest.newBuilder(URI.create(BenchApp.managementUrl(port) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("app on port " + port + " not ready (last status " + status + ")");
    }

    /** Both groups stable with every instance's members, each aggregate writer owning partitions (as the e2e ImporterCluster waits). */
    private void awaitGroups(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Map<String, ConsumerGroupDescription> d = admin.describeConsumerGroups(List.of("importer", "atomic-import-aggregate"))
                    .all().get(30, TimeUnit.SECONDS);
            // the importer group has every worker of every instance (import.importer.workers, 2 by default) as a member
            int importers = instances * Integer.parseInt(BenchApp.appConfig(appConfig).getOrDefault("import.importer.workers", "2"));
            ConsumerGroupDescription importer = d.get("importer");
            ConsumerGroupDescription aggregate = d.get("atomic-import-aggregate");
            if (importer.groupState() == GroupState.STABLE && importer.members().size() == importers
                    && aggregate.groupState() == GroupState.STABLE && aggregate.members().size() == instances
                    && aggregate.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("importer / aggregate groups not stable with " + instances + " instances' members");
    }

    private static Map<Integer, Long> endOffsets(Admin admin, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            for (int p = 0; p < Topics.IMPORT_AGGREGATE_STORE.partitions(); p++) {
                query.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> end = new HashMap<>();
            admin.listOffsets(query).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp.partition(), info.offset()));
            return end;
        } catch (Exception e) {
            throw new IllegalStateException("cannot list end offsets of " + topic, e);
        }
    }

    /** All rows valid (~70 bytes each), so rows imported == rows. */
    private static Path generate(Path csv, int rows) throws IOException {
        if (!Files.exists(csv)) {
            try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                out.write("email,name,country,phone\n");
                String[] countries = { "FR", "DE", "US", "JP", "BR", "IN" };
                for (int i = 1; i <= rows; i++) {
                    out.write("user" + i + "@agg.example.com,Person Number " + i + "," + countries[i % 6] + ",+1 555 01" + (i % 100)
                            + "\n");
                }
            }
        }
        return csv;
    }
}
