package dev.edapatterns.bench;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.eventkit.provisioning.TopicProvisioner;

/**
 * Benchmark P4 (pattern 4, non-blocking retry): the packaged billing-app renews N due subscriptions, once with a
 * healthy simulated provider and once with 20% transient failures (retried through short-delay retry topics), each
 * on a fresh broker and a fresh app, which is first warmed up until its JIT compilers have settled (rounds of 20,000
 * renewals; each round's CPU per renewal is reported, the first is the cold JVM's). Loading: the N subscriptions
 * (paidUntil yesterday, UTC) are produced straight to {@code billing.subscriptions} with the contracts' record type
 * (the API would only add a synchronous write per subscription to the set-up). The app's scheduler (every 10 s) then
 * emits one renewal command per due subscription. Renewals/s: from the first renewal command (its record timestamp)
 * until a {@code read_committed} reader of {@code billing.charges} has seen the N-th charge; CPU: from before the
 * load to then. Exactly once, per run, from
 * the provider's call log: every {@code userId:period} CHARGED exactly once, N in all, and N distinct users on
 * {@code billing.charges}; DLQ entries are counted and reported.
 *
 * <pre>./mvnw -B install -DskipTests && ./mvnw -B -pl bench exec:exec@billing   (-Dbench.subscriptions=N)</pre>
 */
public final class BillingBenchmark {

    static final List<String> BROKER_JVM = List.of("-Xmx1g", "-XX:+UseG1GC");
    /** -Dbench.billing.failure-rates=0 runs only the healthy run (profiling, before/after comparisons). */
    static final List<Double> FAILURE_RATES = Arrays.stream(System.getProperty("bench.billing.failure-rates", "0,0.2")
            .split(",")).map(String::trim).filter(r -> !r.isEmpty()).map(Double::valueOf).toList();
    /** The %test profile's delays: the benchmark measures processing, not waiting out 5 s / 30 s / 5 min. */
    static final List<String> RETRY_TOPICS = List.of("billing.renewals_retry_500", "billing.renewals_retry_1000",
            "billing.renewals_retry_2000");
    /**
     * Retries before the DLQ (the last retry topic is reused, SmallRye's rule). With 3 (the app's), 0.2^4 = 0.16% of
     * the renewals would fail four times in a row and wait in the DLQ for an operator's redrive; with 8 the expected
     * number is 0.2^9 * N, 0.05 for 100,000.
     */
    static final int MAX_RETRIES = 8;

    /** Users of the measured subscriptions; the warm-up's are {@code warm-<round>-<i>}. */
    static final String MEASURED_USERS = "bench-user-";
    /** billing-app's heap. */
    static final String APP_HEAP = "2g";
    /** Due subscriptions per warm-up round. */
    static final int WARM_UP_BATCH = 20_000;

    /** -Dbench.billing.jfr=true: CPU profiles of the app and the broker of each run (target/bench-billing/*.jfr). */
    static final boolean JFR = Boolean.getBoolean("bench.billing.jfr");

    private final int subscriptions;
    private final Duration timeout;
    private final Path work;

    private BillingBenchmark(int subscriptions, Duration timeout, Path work) {
        this.subscriptions = subscriptions;
        this.timeout = timeout;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.subscriptions", 100_000);
        Duration timeout = Duration.ofMinutes(Integer.getInteger("bench.timeout-minutes", 30));
        Path work = Files.createDirectories(Path.of("target", "bench-billing"));
        new BillingBenchmark(n, timeout, work).run();
    }

    private void run() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "P4 billing renewals: renewals/s with 0% vs 20% transient provider failures, exactly once");
        json.put("at", Instant.now().toString());
        json.put("subscriptions", subscriptions);
        json.put("machine", BenchMachine.describe());
        json.put("brokerJvm", BROKER_JVM);
        json.put("appHeap", APP_HEAP);
        json.put("retryTopics", RETRY_TOPICS);
        json.put("maxRetries", MAX_RETRIES);
        Map<String, Object> runs = new LinkedHashMap<>();
        List<RunResult> results = new ArrayList<>();
        for (double rate : FAILURE_RATES) {
            RunResult r = measure(rate);
            results.add(r);
            runs.put(r.label(), r.json());
        }
        json.put("runs", runs);
        boolean both = results.size() == 2;
        double ratio = both ? results.get(1).perSecond() / results.get(0).perSecond() : Double.NaN;
        // the box is shared: renewals/s follows the CPU the run got, CPU per renewal does not
        double cpuRatio = both ? results.get(0).cpuMsPerRenewal() / results.get(1).cpuMsPerRenewal() : Double.NaN;
        if (both) {
            json.put("failures20ToFailures0", ratio);
            json.put("cpuPerRenewalFailures0ToFailures20", cpuRatio);
            json.put("target", ">= 0.50");
        }
        boolean exactlyOnce = results.stream().allMatch(RunResult::exactlyOnce);
        json.put("exactlyOnce", exactlyOnce);

        System.out.println();
        System.out.printf("%-13s %12s %10s %9s %9s %9s %7s %6s %9s %9s %13s  %s%n", "provider", "renewals/s", "seconds", "calls",
                "failed", "charged", "twice", "DLQ", "app CPU s", "brk CPU s", "ms/renewal", "load avg (start / end)");
        for (RunResult r : results) {
            System.out.printf("%-13s %,12.0f %10.1f %,9d %,9d %,9d %7d %6d %9.1f %9.1f %5.2f (%.2f+%.2f)  %s / %s%n", r.label(),
                    r.perSecond(), r.seconds(), r.calls(), r.failed(), r.charged(), r.chargedTwice(), r.deadLettered(), r.appCpu(),
                    r.brokerCpu(), r.cpuMsPerRenewal(), r.appCpu() * 1000 / r.charged(), r.brokerCpu() * 1000 / r.charged(),
                    r.loadStart(), r.loadEnd());
        }
        for (RunResult r : results) {
            System.out.printf("%s: of the app's and broker's CPU, their JIT compilers %.1f s (%.2f ms per renewal): %.2f ms "
                    + "per renewal without them%n", r.label(), r.jitCpu(), r.jitCpu() * 1000 / r.charged(),
                    r.cpuMsPerRenewalWithoutJit());
        }
        if (!both) {
            System.out.printf("exactly once: %s%n", exactlyOnce ? "yes" : "NO");
            if (!exactlyOnce) {
                throw new IllegalStateException("a renewal was charged twice or not at all: see the table");
            }
            return; // a partial run (-Dbench.billing.failure-rates) does not replace the results file
        }
        System.out.printf("20%% failures / 0%% failures: %.0f%% (target >= 50%%); CPU per renewal 0%% / 20%%: %.0f%%; exactly once "
                + "in both runs: %s%n", 100 * ratio, 100 * cpuRatio, exactlyOnce ? "yes" : "NO");
        Path out = BenchMachine.results("billing.json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
        if (!exactlyOnce) {
            throw new IllegalStateException("a renewal was charged twice or not at all: see the table");
        }
    }

    /**
     * One run on a fresh broker: start the app, warm it up (rounds of {@link #WARM_UP_BATCH} due subscriptions until
     * the JIT compilers have settled), then load the N measured subscriptions, wait for their N charges and check the
     * call log. The CPU figures cover the measured N only, their subscriptions' loading included.
     */
    private RunResult measure(double failureRate) throws Exception {
        String label = "failures " + Math.round(failureRate * 100) + "%";
        Path dir = Files.createTempDirectory(work, "run-");
        Path callLog = dir.resolve("provider-calls.jsonl").toAbsolutePath();
        LocalDate paidUntil = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        System.out.printf("%n== %s: %,d due subscriptions (paidUntil %s), work dir %s%n", label, subscriptions, paidUntil, dir);
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir.resolve("kafka"), BROKER_JVM);
                Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            String kafka = broker.bootstrapServers();
            new TopicProvisioner(admin).provision(appTopics(), true, Optional.empty());

            ChargeCounter charges = new ChargeCounter(kafka);
            charges.start();
            int appPort = KafkaBroker.freePort();
            JavaProcess app = billing(kafka, failureRate, callLog, appPort, label);
            try {
                Map<String, Object> warmUp = warmUp(kafka, paidUntil, charges, app, broker.process().pid());
                long warmed = charges.count();
                long renewalsBefore = endOffsets(admin, Topics.BILLING_RENEWALS.name());
                Map<String, Long> retriedBefore = retryTopicRecords(admin);
                String loadStart = BenchMachine.loadAverage();
                double appCpu0 = BenchMachine.cpuSeconds(app.pid());
                double brokerCpu0 = BenchMachine.cpuSeconds(broker.process().pid());
                // what the JIT compilers still took: little after the warm-up, reported anyway
                double jit0 = BenchMachine.compilerCpuSeconds(app.pid()) + BenchMachine.compilerCpuSeconds(broker.process().pid());
                Map<String, Long> profiled = new LinkedHashMap<>();
                profiled.put("billing-app", app.pid());
                profiled.put("broker", broker.process().pid());
                if (JFR) {
                    profiled.forEach((process, pid) -> jfr(pid, "JFR.start", "name=p4", "settings=profile"));
                }
                charges.expect(warmed + subscriptions);
                long loadedAt = System.currentTimeMillis();
                load(kafka, paidUntil, MEASURED_USERS, subscriptions);
                awaitCharges(charges, warmed + subscriptions, app, label);
                long endMillis = charges.nthAtMillis();
                String loadEnd = BenchMachine.loadAverage();
                double appCpu = BenchMachine.cpuSeconds(app.pid()) - appCpu0;
                double brokerCpu = BenchMachine.cpuSeconds(broker.process().pid()) - brokerCpu0;
                double jitCpu = BenchMachine.compilerCpuSeconds(app.pid()) + BenchMachine.compilerCpuSeconds(broker.process().pid()) - jit0;
                Map<String, Double> appMeters = TrafficCount.meters(appPort);
                if (JFR) { // the measured span only, without the start-up and the warm-up
                    profiled.forEach((process, pid) -> jfr(pid, "JFR.stop", "name=p4", "filename=" + work.resolve(
                            label.replace(' ', '-').replace("%", "") + "-" + process + ".jfr").toAbsolutePath()));
                }
                long firstRenewal = firstTimestampSince(kafka, Topics.BILLING_RENEWALS.name(), loadedAt);
                double seconds = (endMillis - firstRenewal) / 1000.0;
                Thread.sleep(3000); // late duplicates (none expected) would show in the call log and on billing.charges
                double appIdle0 = BenchMachine.cpuSeconds(app.pid());
                double brokerIdle0 = BenchMachine.cpuSeconds(broker.process().pid());
                Thread.sleep(5000); // the fixed cost of both processes with nothing to do: polls, heartbeats, metrics
                System.out.printf("  idle CPU (5 s after the run): app %.3f s/s, broker %.3f s/s%n",
                        (BenchMachine.cpuSeconds(app.pid()) - appIdle0) / 5, (BenchMachine.cpuSeconds(broker.process().pid())
                                - brokerIdle0) / 5);
                charges.stop();
                app.stop(Duration.ofSeconds(30));
                // records of the whole run (warm-up included) per renewal of the whole run
                TrafficCount.print(kafka, appTopicNames().split(","), appMeters, Math.toIntExact(warmed + subscriptions));
                CallLog calls = CallLog.read(callLog, MEASURED_USERS);
                CallLog all = CallLog.read(callLog, "");
                long dlq = endOffsets(admin, Topics.BILLING_RENEWALS_DLQ.name());
                Map<String, Long> retried = retryTopicRecords(admin);
                retried.replaceAll((topic, records) -> records - retriedBefore.get(topic));
                long renewalCommands = endOffsets(admin, Topics.BILLING_RENEWALS.name()) - renewalsBefore;
                boolean exactlyOnce = calls.chargedOnce() == subscriptions && calls.chargedTwice() == 0
                        && calls.charged() == subscriptions && all.chargedTwice() == 0 && all.charged() == warmed + subscriptions
                        && charges.count() == warmed + subscriptions && charges.distinctUsers() == warmed + subscriptions
                        && dlq == 0;
                RunResult r = new RunResult(label, failureRate, subscriptions / seconds, seconds, renewalCommands, calls.total(),
                        calls.failed(), calls.charged(), calls.chargedTwice(), calls.chargedOnce(), charges.count() - warmed,
                        charges.distinctUsers() - warmed, dlq, retried, appCpu, brokerCpu, jitCpu, loadStart, loadEnd, warmUp,
                        exactlyOnce);
                System.out.printf("  %s: %,d renewals in %.1f s = %,.0f renewals/s; provider calls %,d (failed %,d, charged %,d, "
                        + "keys charged twice %d); billing.charges %,d (%,d users); DLQ %d; retries %s; CPU app %.1f s, broker "
                        + "%.1f s; load %s -> %s%n", label, subscriptions, seconds, r.perSecond(), calls.total(), calls.failed(),
                        calls.charged(), calls.chargedTwice(), r.chargesOnTopic(), r.chargedUsers(), dlq, retried, appCpu,
                        brokerCpu, loadStart, loadEnd);
                return r;
            } finally {
                charges.stop();
                app.stop(Duration.ofSeconds(30));
            }
        } finally {
            BenchMachine.deleteRecursively(dir.resolve("kafka")); // the provider call log stays for inspection
        }
    }

    /**
     * Rounds of {@link #WARM_UP_BATCH} due subscriptions (users {@code warm-<round>-<i>}), each renewed to its last
     * charge, until the JIT compilers of the app and the broker have settled (at most
     * {@code bench.billing.max-warmup-seconds}, 240 by default; 0: one round). A fresh JVM on 2 cores compiles for
     * minutes (about 50 CPU seconds per 100,000 renewals measured cold): start-up work, not the renewals' cost. Each
     * round's CPU per renewal is kept: the first is the cold JVM's.
     */
    private Map<String, Object> warmUp(String kafka, LocalDate paidUntil, ChargeCounter charges, JavaProcess app,
            long brokerPid) throws Exception {
        double maxSeconds = Double.parseDouble(System.getProperty("bench.billing.max-warmup-seconds", "240"));
        int batch = Math.min(WARM_UP_BATCH, subscriptions);
        List<Double> cpuMsPerRenewal = new ArrayList<>();
        Map<String, Object> m = new LinkedHashMap<>(new JitWarmUp("warm-up round", List.of(app.pid(), brokerPid),
                JitWarmUp.SETTLED_CORE_SHARE, maxSeconds, 1).run(n -> {
                    long target = charges.count() + batch;
                    double cpu0 = BenchMachine.cpuSeconds(app.pid()) + BenchMachine.cpuSeconds(brokerPid);
                    charges.expect(target);
                    load(kafka, paidUntil, "warm-" + n + "-", batch);
                    awaitCharges(charges, target, app, "warm-up round " + (n + 1));
                    cpuMsPerRenewal.add((BenchMachine.cpuSeconds(app.pid()) + BenchMachine.cpuSeconds(brokerPid) - cpu0) * 1000
                            / batch);
                }));
        m.put("subscriptionsPerRound", batch);
        m.put("cpuMsPerRenewalPerRound", cpuMsPerRenewal);
        System.out.printf("  warm-up: %s rounds of %,d in %.1f s, app + broker CPU ms per renewal per round %s%n",
                m.get("rounds"), batch, (Double) m.get("seconds"), cpuMsPerRenewal.stream()
                        .map(v -> String.format("%.2f", v)).toList());
        return m;
    }

    private void awaitCharges(ChargeCounter charges, long target, JavaProcess app, String label) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = System.nanoTime();
        while (charges.count() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": only " + charges.count() + " of " + target + " charged within "
                        + timeout);
            }
            if (!app.isAlive()) {
                throw new IllegalStateException(label + ": billing-app exited, see " + app.log());
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = System.nanoTime();
                System.out.printf("  %,d charged, load average %s%n", charges.count(), BenchMachine.loadAverage());
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, Long> retryTopicRecords(Admin admin) throws Exception {
        Map<String, Long> retried = new LinkedHashMap<>();
        for (String t : RETRY_TOPICS) {
            retried.put(t, endOffsets(admin, t));
        }
        return retried;
    }

    /** The topics the app lists in eventkit.topics with the short retry delays. */
    private static List<Topic<?, ?>> appTopics() {
        Set<String> names = new HashSet<>(Arrays.asList(appTopicNames().split(",")));
        return Topics.ALL.stream().filter(t -> names.contains(t.name())).collect(Collectors.toList());
    }

    private static String appTopicNames() {
        return "reference.countries,reference.timezones,billing.subscriptions,billing.renewals," + String.join(",", RETRY_TOPICS)
                + ",billing.renewals.dlq,billing.charges,billing.charge-claims,billing.charge-claims.store,billing.ledger,"
                + "billing.ledger.skips,billing.renewals.dlq.redrives";
    }

    /** N ACTIVE subscriptions of users {@code <prefix><i>}, due since yesterday's midnight UTC (country ZZ: UTC). */
    private static void load(String kafka, LocalDate paidUntil, String users, int subscriptions) {
        Topic<String, Subscription> topic = Topics.BILLING_SUBSCRIPTIONS;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all",
                "enable.idempotence", true, "linger.ms", 10), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < subscriptions; i++) {
                String user = users + i;
                Subscription s = new Subscription(user, "pro", new BigDecimal("4.99"), "EUR", "ZZ", "tok_ok", paidUntil,
                        Subscription.Status.ACTIVE);
                RecordHeaders headers = new RecordHeaders();
                producer.send(new ProducerRecord<>(topic.name(), null, user.getBytes(StandardCharsets.UTF_8),
                        topic.valueSerializer().serialize(topic.name(), headers, s), headers));
            }
            producer.flush();
        }
        System.out.printf("  %,d subscriptions produced to %s in %.1f s%n", subscriptions, topic.name(),
                (System.nanoTime() - t0) / 1e9);
    }

    private JavaProcess billing(String kafka, double failureRate, Path callLog, int port, String label) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka);
        config.put("eventkit.instance-id", "bench-billing");
        config.put("eventkit.topics", appTopicNames());
        config.put("billing.provider.simulated.call-log", callLog.toString());
        config.put("billing.provider.simulated.failure-rate", Double.toString(failureRate));
        // the first tick sends all N; later ticks (each a pass over N subscriptions) find nothing new to send
        config.put("billing.renewals.scheduler.every", "10s");
        config.put("billing.renewals.scheduler.delay", "1s");
        // no re-sends of renewals still in flight during a run (they would only be deduped, but cost work)
        config.put("billing.renewals.scheduler.reemit-after", "60m");
        config.put("billing.renewals.retry.topics", String.join(",", RETRY_TOPICS));
        config.put("billing.renewals.retry.max-retries", Integer.toString(MAX_RETRIES));
        // a record that fails again later than this after its first failure goes to the DLQ. With 100,000 due at once
        // a retry can wait behind the renewals already read (a 120 s timeout once dead-lettered ~3,500), so the
        // timeout covers the whole run here
        config.put("billing.renewals.retry.timeout", timeout.toMillis() + "ms");
        config.put("quarkus.log.category.\"dev.edapatterns.billing.renewals\".level", "WARN");
        config.putAll(BenchApp.appConfig(System.getProperty("bench.billing.app-config", ""))); // experiments
        // 2 GB: the warm-up leaves 100,000-200,000 more users in the app's stores, about 3 KB each (subscription,
        // claims, ledger account); with 1 GB the last runs spent their time in full GCs
        JavaProcess.Builder b = BenchApp.builder("billing-app", "billing-app", port)
                .jvmArg("-Xmx" + APP_HEAP).jvmArg("-XX:+UseG1GC");
        config.forEach(b::systemProperty);
        return b.start().process();
    }

    /** A flight recorder command to a running JVM (jcmd of the JDK running the benchmark). */
    private static void jfr(long pid, String... command) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                System.out.println("  jcmd failed: " + out);
            }
        } catch (IOException e) {
            System.out.println("  jcmd failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Timestamp of the first record on a topic at or after {@code sinceMillis} (earliest over its partitions). */
    private static long firstTimestampSince(String kafka, String topic, long sinceMillis) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, Long> query = new HashMap<>();
            consumer.partitionsFor(topic).forEach(p -> query.put(new TopicPartition(topic, p.partition()), sinceMillis));
            long first = consumer.offsetsForTimes(query).values().stream().filter(o -> o != null)
                    .mapToLong(o -> o.timestamp()).min().orElseThrow(() -> new IllegalStateException("no record on " + topic
                            + " since " + Instant.ofEpochMilli(sinceMillis)));
            return first;
        }
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> spec = new HashMap<>();
        partitions.forEach(p -> spec.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(spec).all().get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
    }

    /** A read_committed reader of billing.charges: how many, how many users, when the N-th was seen. */
    private final class ChargeCounter {
        private final String kafka;
        private final AtomicLong count = new AtomicLong();
        private final Set<String> users = new HashSet<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private volatile long nthAt;
        /** The count whose moment {@link #nthAtMillis()} tells. */
        private volatile long nth = Long.MAX_VALUE;
        private Thread thread;

        ChargeCounter(String kafka) {
            this.kafka = kafka;
        }

        void start() {
            thread = new Thread(this::read, "charges-reader");
            thread.start();
        }

        private void read() {
            Map<String, Object> props = Map.of("bootstrap.servers", kafka, "isolation.level", "read_committed",
                    "fetch.max.wait.ms", 20, "max.poll.records", 5000);
            String topic = Topics.BILLING_CHARGES.name();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        synchronized (users) {
                            users.add(r.key());
                        }
                        long seen = count.get() + 1; // this thread is the only writer
                        if (seen == nth) {
                            nthAt = System.currentTimeMillis(); // before the count shows N: the main thread reads it then
                        }
                        count.set(seen);
                    }
                }
            }
        }

        long count() {
            return count.get();
        }

        /** Remember when the {@code n}-th charge is seen (set before the work that produces it). */
        void expect(long n) {
            nth = n;
        }

        long nthAtMillis() {
            return nthAt;
        }

        long distinctUsers() {
            synchronized (users) {
                return users.size();
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            if (thread != null) {
                thread.join(10_000);
            }
        }
    }

    /** The simulated provider's call log: one JSON line per call. */
    record CallLog(long total, long failed, long charged, long chargedOnce, long chargedTwice) {

        /** The calls for users whose id starts with {@code users} ("": every call). */
        static CallLog read(Path file, String users) throws IOException {
            long total = 0;
            long failed = 0;
            Map<String, Integer> charged = new HashMap<>();
            try (var lines = Files.lines(file)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode call = Json.mapper().readTree(line);
                    if (!call.path("userId").asText().startsWith(users)) {
                        continue;
                    }
                    total++;
                    switch (call.get("outcome").asText()) {
                        case "FAILED" -> failed++;
                        case "CHARGED" -> charged.merge(call.get("idempotencyKey").asText(), 1, Integer::sum);
                        default -> {
                        }
                    }
                }
            }
            long sum = charged.values().stream().mapToLong(Integer::longValue).sum();
            long once = charged.values().stream().filter(c -> c == 1).count();
            long twice = charged.values().stream().filter(c -> c > 1).count();
            return new CallLog(total, failed, sum, once, twice);
        }
    }

    record RunResult(String label, double failureRate, double perSecond, double seconds, long renewalCommands, long calls,
            long failed, long charged, long chargedTwice, long chargedOnce, long chargesOnTopic, long chargedUsers,
            long deadLettered, Map<String, Long> retried, double appCpu, double brokerCpu, double jitCpu, String loadStart,
            String loadEnd, Map<String, Object> warmUp, boolean exactlyOnce) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("failureRate", failureRate);
            m.put("renewalsPerSecond", perSecond);
            m.put("seconds", seconds);
            m.put("renewalCommands", renewalCommands);
            m.put("providerCalls", calls);
            m.put("providerFailed", failed);
            m.put("providerCharged", charged);
            m.put("keysChargedOnce", chargedOnce);
            m.put("keysChargedMoreThanOnce", chargedTwice);
            m.put("chargesOnTopic", chargesOnTopic);
            m.put("chargedUsersOnTopic", chargedUsers);
            m.put("deadLettered", deadLettered);
            m.put("retryTopicRecords", retried);
            m.put("warmUp", warmUp);
            m.put("appCpuSeconds", appCpu);
            m.put("brokerCpuSecondsDuringRun", brokerCpu);
            m.put("loadAverageStart", loadStart);
            m.put("loadAverageEnd", loadEnd);
            m.put("cpuMsPerRenewal", cpuMsPerRenewal());
            m.put("jitCompilerCpuSecondsDuringRun", jitCpu);
            m.put("cpuMsPerRenewalWithoutJit", cpuMsPerRenewalWithoutJit());
            m.put("exactlyOnce", exactlyOnce);
            return m;
        }

        /** App and broker CPU over the run, per charged renewal. */
        double cpuMsPerRenewal() {
            return (appCpu + brokerCpu) * 1000 / charged;
        }

        /** The same without what the JVMs' JIT compilers took: a fixed start-up cost, not the renewals'. */
        double cpuMsPerRenewalWithoutJit() {
            return (appCpu + brokerCpu - jitCpu) * 1000 / charged;
        }
    }
}
