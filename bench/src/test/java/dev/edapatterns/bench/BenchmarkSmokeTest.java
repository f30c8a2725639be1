package dev.edapatterns.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Each benchmark program end to end at a tiny size, as {@code exec:exec} runs it (own JVM, a real broker process, the
 * packaged apps as processes, the same users, keys and channel tokens): seconds each, so benchmark code cannot rot
 * unnoticed. It checks the run reached its report, not the figures: at this size they mean nothing. Needs the apps'
 * {@code target/quarkus-app} (the reactor's {@code package} phase, or {@code ./mvnw -B package -DskipTests} first).
 * The benchmarks run side by side: each has its own broker, ports, work directory and results file.
 */
@Execution(ExecutionMode.CONCURRENT)
class BenchmarkSmokeTest {

    @AfterAll
    static void cpu() throws Exception {
        System.out.printf("benchmark smoke runs: %.1f CPU seconds in all (benchmarks, brokers, apps)%n",
                SmokeRun.childrenCpuSeconds());
    }

    /** Far above a run's time on a busy 2-core box: only a hung benchmark reaches it. */
    private static final Duration LIMIT = Duration.ofMinutes(5);

    /**
     * P1: uploads to import-app until COMPLETED on notify-app's WebSocket (one process cold and warm, then two
     * processes in the importer group), the raw-producer and raw job-transaction baselines.
     */
    @Test
    void importUploadToCompletedOnTheWebSocket() throws Exception {
        int rows = 200;
        JsonNode results = SmokeRun.of("import", ImportBenchmark.class, "-Xmx256m")
                .option("bench.rows", rows)
                .option("bench.import.processes", 2)
                .option("bench.import.max-warmup-seconds", 0) // one warm-up import: no waiting for the JIT
                .run(LIMIT)
                .printed("raw producer (baseline)", "raw tx produce of the jobs", "1 process, cold JVM", "1 process, warm JVM",
                        "2 processes", "import-app peak heap")
                .results("import.json");
        assertEquals(rows, results.get("rows").asInt());
        assertEquals(3, results.get("runs").size());
        for (JsonNode run : results.get("runs")) {
            assertTrue(run.get("completedSeconds").asDouble() > 0, run.toString());
            assertTrue(run.get("brokerCpuSecondsPer1000Rows").asDouble() > 0, run.toString());
        }
        assertEquals(2, results.get("runs").get(2).get("importAppCpuSecondsPer1000Rows").size());
        assertTrue(results.get("jobsTransactionBaselineSeconds").asDouble() > 0, results.toString());
        assertTrue(results.get("importAppPeakHeapBytes").asLong() > 0, "import-app's /ops/heap read: " + results);
        assertEquals(1, results.get("warmUpBeforeWarmRun").get("rounds").asInt(), results.toString());
        // the compiler threads were found and read in /proc: a cold import-app compiles
        assertTrue(results.get("runs").get(0).get("jitCompilerCpuSeconds").asDouble() > 0, results.toString());
    }

    /** P2: the baseline consumer and one notify-app's WebSocket clients on channels the benchmark publishes to. */
    @Test
    void notifyFanOut() throws Exception {
        JsonNode results = SmokeRun.of("notify", NotifyFanOutBenchmark.class, "-Xmx256m")
                .option("bench.notify.clients", 20)
                .option("bench.notify.channels", 10)
                .option("bench.notify.rate", 200)
                .option("bench.notify.seconds", 2)
                .option("bench.notify.warmup-seconds", 0)
                .option("bench.notify.two-instances", false)
                .run(LIMIT)
                .printed("baseline: plain read_committed consumer", "one notify-app")
                .results("notify-200.json");
        JsonNode phases = results.get("phases");
        assertEquals(2, phases.size(), results.toString());
        JsonNode fanOut = phases.get(1);
        // every client gets every event of its channel (a resumed one may get some twice): the tokens were accepted
        assertTrue(fanOut.get("frames").asLong() >= fanOut.get("expectedFrames").asLong(), fanOut.toString());
        assertEquals(0, fanOut.get("lost").asLong(), fanOut.toString());
        assertEquals(0, fanOut.get("errors").asLong(), fanOut.toString());
        assertTrue(fanOut.get("heapMaxMb").asLong() > 0, "notify-app's /q/metrics read: " + fanOut);
    }

    /**
     * P7: contacts into PostgreSQL by order-app's customers projection, by the raw JDBC baseline and by the warm
     * order-app's rebuild of the projection, then the
     * customers queries (keyset pages, country, name prefix, a customer's orders) as crm.
     */
    @Test
    void projectionAgainstRawJdbcAndQueryLatency() throws Exception {
        int contacts = 5_000; // more than one batch of 2,000: the clock runs from the first commit
        JsonNode results = SmokeRun.of("projection", ProjectionBenchmark.class, "-Xmx256m")
                .option("bench.projection.contacts", contacts)
                .option("bench.projection.requests", 20)
                .option("bench.projection.max-warmup-seconds", 0) // one round: the smoke checks the code, not the JIT
                .run(LIMIT)
                .printed("raw JDBC batches (baseline)", "order-app customers projection", "projection / raw JDBC",
                        "GET /customers/{email}/orders")
                .results("projection.json");
        assertEquals(contacts, results.get("contacts").asInt());
        assertTrue(results.get("projection").get("rowsPerSecond").asDouble() > 0, results.toString());
        assertTrue(results.get("baseline").get("rowsPerSecond").asDouble() > 0, results.toString());
        assertTrue(results.get("warmRebuild").get("rowsPerSecond").asDouble() > 0, results.toString());
        JsonNode queries = results.get("queries");
        assertEquals(4, queries.size(), queries.toString());
        // every list query answered full pages: the rows were there and the filters matched
        queries.fields().forEachRemaining(q -> assertTrue(q.getKey().contains("/orders")
                || q.getValue().get("meanRows").asDouble() > 0, q.toString()));
        queries.forEach(q -> assertTrue(q.get("p99Ms").asDouble() > 0 && q.get("jdkHttpClientP99Ms").asDouble() > 0, q.toString()));
        assertTrue(results.get("queryWarmUp").get("requests").asLong() > 0, results.get("queryWarmUp").toString());
    }

    /** P6 (a): imports over an import-app and notify-app, last job -> COMPLETED on the WebSocket and its breakdown. */
    @Test
    void aggregationLatency() throws Exception {
        int imports = 2;
        JsonNode results = SmokeRun.of("aggregation", AggregationBenchmark.class, "-Xmx256m")
                .option("bench.agg.parts", "latency")
                .option("bench.agg.instances", 1)
                .option("bench.agg.rows", 300)
                .option("bench.agg.job-rows", 10)
                .option("bench.agg.imports", imports)
                .option("bench.agg.warmup", 0)
                .option("bench.agg.max-warmup-seconds", 0) // one warm-up import: no waiting for the JIT
                .option("bench.agg.max-other-cpu", 1.0) // the smoke does not wait for a quiet machine
                .run(LIMIT)
                .printed("last JOB_FINISHED sent -> COMPLETED on WebSocket", "5 notify-app feed+hub+WebSocket -> frame")
                .results("aggregation.json");
        JsonNode latency = results.get("latency");
        assertEquals(imports, latency.get("imports").asInt(), latency.toString());
        assertEquals(30, latency.get("jobsPerImport").asInt(), latency.toString());
        assertTrue(latency.get("intervals").get("lastJobFinishedToCompletedOnWebSocketMs").get("p50").asDouble() > 0,
                latency.toString());
    }

    /**
     * P3: a compacted topic loaded by CompactedStore and by Kafka Streams GlobalKTables (RocksDB, in-memory), in this
     * JVM and in fresh JVMs, and the breakdown of the store's load; without the JMH get-latency fork.
     */
    @Test
    void keyValueStoreBootstrap() throws Exception {
        int keys = 2_000;
        JsonNode results = SmokeRun.of("kv-store", KvStoreBenchmark.class, "-Xmx256m")
                .option("bench.keys", keys)
                .option("bench.reps", 1)
                .option("bench.jmh", false)
                .run(LIMIT)
                .printed("P3 in-memory KV store", "ratio GlobalKTable(RocksDB) / CompactedStore", "where CompactedStore's bootstrap goes")
                .results("kv-store.json");
        JsonNode boot = results.get("bootstrap");
        for (String contender : new String[] { "compactedStore", "globalKTableRocksDb", "globalKTableInMemory" }) {
            assertTrue(boot.get(contender).get("medianSeconds").asDouble() > 0, contender + ": " + boot.get(contender));
        }
        assertTrue(boot.get("ratioRocksDbToCompactedStore").asDouble() > 0, boot.toString());
        assertTrue(boot.get("freshJvmPerLoad").get("ratioRocksDbToCompactedStore").asDouble() > 0, boot.toString());
        assertTrue(results.get("heap").get("compactedStoreBytesPerEntryLoaded").asDouble() > 0, results.get("heap").toString());
    }

    /**
     * P4: due subscriptions renewed by billing-app with a 20%-failing simulated provider (its retry topics), exactly
     * once: every user charged once on the provider and on {@code billing.charges}, nothing dead-lettered (the
     * benchmark checks that and fails otherwise). Only the failing provider's run: the healthy one is the same code
     * without retries, and each run costs a broker and a billing-app of their own. The scheduler looks every second
     * instead of every 10 s: a tiny run would otherwise wait for it.
     */
    @Test
    void billingRenewalsExactlyOnce() throws Exception {
        SmokeRun run = SmokeRun.of("billing", BillingBenchmark.class, "-Xmx256m")
                .option("bench.subscriptions", 200)
                .option("bench.billing.failure-rates", "0.2")
                .option("bench.billing.max-warmup-seconds", 0) // one warm-up round: no waiting for the JIT
                .option("bench.billing.app-config", "billing.renewals.scheduler.every=1s")
                .run(LIMIT)
                .printed("renewals/s", "failures 20%: 200 renewals in", "keys charged twice 0); billing.charges 200 (200 users); DLQ 0",
                        "exactly once: yes");
        // the failing provider's calls were retried through the retry topics
        assertTrue(run.output().matches("(?s).*failures 20%: 200 renewals in .*provider calls [0-9,]+ \\(failed [1-9].*"),
                "no provider call failed: the retry topics were not exercised");
    }

    /**
     * P5: checkout exactly once against at least once, throughput over a backlog. Without the latency phase: it
     * starts two more order-apps, and this smoke run shares the machine with e2e.
     */
    @Test
    void checkoutExactlyOnceAgainstAtLeastOnce() throws Exception {
        JsonNode results = SmokeRun.of("orders", CheckoutBenchmark.class, "-Xmx256m")
                .option("bench.orders", 5_000) // several commits each way: the clock runs from the first
                .option("bench.rounds", 1)
                .option("bench.latency-seconds", 0)
                .run(LIMIT)
                .printed("EOS / at-least-once throughput")
                .results("orders.json");
        JsonNode modes = results.get("modes");
        for (String mode : new String[] { "AT_LEAST_ONCE", "EXACTLY_ONCE" }) {
            assertTrue(modes.get(mode).get("throughputPerSecondMedian").asDouble() > 0, mode + ": " + modes.get(mode));
        }
    }
}
