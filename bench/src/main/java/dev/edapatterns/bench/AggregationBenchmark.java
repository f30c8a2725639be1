package dev.edapatterns.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.KafkaBrokerProcess;

/**
 * Benchmark P6 (pattern 6, events aggregation), two parts on one broker process:
 * <ol>
 * <li>{@link AggregationLatency}: imports of 1,000 jobs each over 3 import-app processes; the time from the last
 * job's completion to {@code COMPLETED} on a notify-app WebSocket (p50/p99/max) and where it goes;</li>
 * <li>{@link AggregationThroughput}: an event-kit {@code AtomicStore} writer with a counter reducer on a pre-filled
 * topic of 1,000,000 commands (6 partitions, 10,000 keys x 100 commands), against the same-run baseline of a plain
 * at-least-once consume-and-count loop.</li>
 * </ol>
 * Prints the tables and writes {@code bench/results/aggregation.json}.
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@aggregation</pre>
 * Options ({@code -D...} on the mvnw command line): {@code bench.agg.parts=latency,throughput},
 * {@code bench.agg.imports=100}, {@code bench.agg.warmup=5}, {@code bench.agg.rows=10000},
 * {@code bench.agg.job-rows=10}, {@code bench.agg.instances=3}, {@code bench.agg.keys=10000},
 * {@code bench.agg.commands-per-key=100}, {@code bench.agg.reps=3}, {@code bench.agg.orders=interleaved,grouped},
 * {@code bench.agg.writer-variants=default,lz4}, {@code bench.agg.app-config=kafka.retry.backoff.ms=10} (extra system
 * properties for the import-app processes, comma-separated; its results are kept beside the default ones),
 * {@code bench.agg.max-warmup-seconds=120} (the warm-up imports go on, after {@code bench.agg.warmup}, until the JVMs'
 * JIT compilers have settled or this bound passed), {@code bench.agg.max-other-cpu=0.05} (a sample during which other
 * processes used more of the machine is repeated; between samples the benchmark waits for quiet).
 */
public final class AggregationBenchmark {

    static final List<String> BROKER_JVM = List.of("-Xmx768m", "-XX:+UseG1GC");

    public static void main(String[] args) throws Exception {
        List<String> parts = Arrays.asList(prop("bench.agg.parts", "latency,throughput").split(","));
        Path work = Files.createDirectories(Path.of("target", "bench-aggregation"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P6 aggregation: last job -> COMPLETED on a WebSocket; AtomicStore throughput vs plain consumer");
        json.put("at", Instant.now().toString());
        json.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB max heap in the bench JVM");
        json.put("brokerJvm", BROKER_JVM);
        List<String> tables = new ArrayList<>();
        Path data = Files.createTempDirectory(work, "kafka-");
        List<String> brokerJvm = new ArrayList<>(BROKER_JVM);
        brokerJvm.add(gcLogOption(work, "broker"));
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data, brokerJvm)) {
            String kafka = broker.bootstrapServers();
            long brokerPid = broker.process().pid();
            if (parts.contains("latency")) {
                String appConfig = prop("bench.agg.app-config", "");
                AggregationLatency latency = new AggregationLatency(kafka, brokerPid, work,
                        intProp("bench.agg.instances", 3), intProp("bench.agg.rows", 10_000),
                        intProp("bench.agg.job-rows", 10), intProp("bench.agg.imports", 100),
                        intProp("bench.agg.warmup", 5), appConfig);
                // a run with extra app settings is kept beside the default one, not over it
                json.put(appConfig.isEmpty() ? "latency" : "latency with " + appConfig, latency.run(tables));
                write(json); // keep part (a) even if part (b) fails
            }
            if (parts.contains("throughput")) {
                AggregationThroughput throughput = new AggregationThroughput(kafka, brokerPid,
                        intProp("bench.agg.keys", 10_000), intProp("bench.agg.commands-per-key", 100),
                        intProp("bench.agg.reps", 3),
                        Arrays.asList(prop("bench.agg.orders", "interleaved,grouped").split(",")),
                        Arrays.asList(prop("bench.agg.writer-variants", "default,lz4").split(",")));
                json.put("throughput", throughput.run(tables));
            }
        }
        BenchMachine.deleteRecursively(data); // GBs after part (b)
        System.out.println();
        tables.forEach(System.out::println);
        write(json);
    }

    private static void write(Map<String, Object> json) throws IOException {
        Path out = BenchMachine.results("aggregation.json");
        Files.createDirectories(out.getParent());
        if (Files.exists(out)) { // a run of one part (-Dbench.agg.parts=...) keeps the other part's last results
            try {
                var previous = Json.mapper().readTree(out.toFile());
                var names = previous.fieldNames();
                while (names.hasNext()) {
                    String part = names.next();
                    if ((part.startsWith("latency") || part.startsWith("throughput")) && !json.containsKey(part)) {
                        json.put(part, previous.get(part));
                    }
                }
            } catch (IOException e) {
                System.out.println("previous " + out + " unreadable, overwritten: " + e.getMessage());
            }
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
    }

    // --- shared helpers -----------------------------------------------------------------------------------------

    /**
     * A {@code -Dbench.agg.*} option; the exec execution forwards {@code -Dname=${name}}, which arrives as the literal
     * {@code ${name}} when it was not given on the mvnw command line: then the default applies.
     */
    static String prop(String name, String def) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() || v.startsWith("${") ? def : v.trim();
    }

    static int intProp(String name, int def) {
        return Integer.parseInt(prop(name, Integer.toString(def)).replace("_", "").replace(",", ""));
    }

    /** GC pauses of a child JVM to {@code <work>/gc-<name>.log}, with wall-clock times (for {@link AggregationGcLog}). */
    static String gcLogOption(Path work, String name) {
        Path log = work.resolve("gc-" + name + ".log").toAbsolutePath();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // the JVM overwrites it anyway
        }
        return "-Xlog:gc:file=" + log + ":time";
    }

    /** Wall-clock time in microseconds (same clock as the CreateTime the other processes' producers stamp). */
    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * CPU used by processes that are not this benchmark's since {@link #start}, as a fraction of the machine (1.0 =
     * every core busy): the CPU time of every user-space process except ours (this JVM, its parent Maven, the broker
     * and app processes), from /proc. Kernel threads are left out: they mostly flush this benchmark's own writes.
     * On a shared 2-core box another Maven run ruins the figures, so measurements are gated on it:
     * {@link AggregationBenchmark#awaitQuiet} before, and a sample during which it exceeded the limit is repeated.
     */
    static final class OtherCpu {
        private final java.util.function.Supplier<List<Long>> ours;
        private Map<String, Double> before;
        private long t0;

        OtherCpu(java.util.function.Supplier<List<Long>> ours) {
            this.ours = ours;
        }

        OtherCpu start() {
            before = others();
            t0 = System.nanoTime();
            return this;
        }

        double seconds() {
            double sum = 0;
            for (var e : others().entrySet()) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            }
            return sum;
        }

        /** Since start, as a fraction of all cores. */
        double fraction() {
            double wall = (System.nanoTime() - t0) / 1e9;
            return seconds() / (Runtime.getRuntime().availableProcessors() * wall);
        }

        /** "pid/starttime" -> CPU seconds of every user-space process that is not ours. */
        private Map<String, Double> others() {
            java.util.Set<Long> mine = new java.util.HashSet<>(ours.get());
            mine.add(ProcessHandle.current().pid());
            ProcessHandle.current().parent().ifPresent(p -> mine.add(p.pid()));
            Map<String, Double> cpu = new java.util.HashMap<>();
            try (var dirs = Files.newDirectoryStream(Path.of("/proc"), d -> d.getFileName().toString().chars().allMatch(Character::isDigit))) {
                for (Path dir : dirs) {
                    long pid = Long.parseLong(dir.getFileName().toString());
                    if (mine.contains(pid)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(dir.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long flags = Long.parseLong(f[6]);
                        if ((flags & 0x00200000L) != 0) { // PF_KTHREAD
                            continue;
                        }
                        cpu.put(pid + "/" + f[19], (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
                    } catch (IOException | RuntimeException e) {
                        // exited meanwhile
                    }
                }
            } catch (IOException e) {
                // no /proc: nothing measured
            }
            return cpu;
        }
    }

    /** Time (s) in which at least one runnable task waited for a CPU (Linux PSI); -1 where not available. */
    static double cpuPressureSeconds() {
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
            return Long.parseLong(some.substring(some.indexOf("total=") + 6).trim()) / 1e6;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Largest share of the machine other processes may use during a sample (-Dbench.agg.max-other-cpu, default 0.05). */
    static double maxOtherCpu() {
        return Double.parseDouble(prop("bench.agg.max-other-cpu", "0.05"));
    }

    /**
     * Waits (up to 30 minutes, then goes on with a warning) until other processes use at most
     * {@link #maxOtherCpu()} of the machine over 3 s.
     */
    static void awaitQuiet(java.util.function.Supplier<List<Long>> ours) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        boolean waited = false;
        while (true) {
            OtherCpu other = new OtherCpu(ours).start();
            Thread.sleep(3000);
            double f = other.fraction();
            if (f <= maxOtherCpu()) {
                if (waited) {
                    log("machine quiet again (other processes %.1f%%), going on", 100 * f);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                log("WARNING: other processes still use %.0f%% of the machine after 30 minutes; measuring anyway", 100 * f);
                return;
            }
            if (!waited) {
                log("other processes use %.0f%% of the machine (limit %.0f%%): waiting for quiet", 100 * f, 100 * maxOtherCpu());
            }
            waited = true;
            Thread.sleep(10_000);
        }
    }

    /** Nearest-rank percentile of unsorted values (p in 0..100). */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    static void log(String format, Object... args) {
        System.out.printf("%s %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
    }
}
