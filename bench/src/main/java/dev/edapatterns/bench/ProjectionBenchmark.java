package dev.edapatterns.bench;

import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.deploy.AppSecrets;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.deploy.PostgresDatabase;
import dev.edapatterns.deploy.PostgresServer;

/**
 * Benchmark P7 (pattern 1, the read model): N contacts already on {@code import.contacts}, then in the same run and
 * the same PostgreSQL database (a real server, durable defaults, data under {@code target/bench-projection}):
 * (a) the packaged order-app's customers projection until its stored offsets reach the topic's end (then
 * {@code count(*)} is checked to be N); (b) the baseline: the projection's own upsert statement as raw JDBC batches
 * of {@code order.read-model.batch-size} rows, one transaction per batch, into a table
 * {@code LIKE customers_v1 INCLUDING ALL}, from the same records read back beforehand (outside the clock); (a') the
 * same order-app, warm, rebuilding the projection into {@code customers_v2}. All are clocked alike, by the server
 * ({@code track_commit_timestamp}): from the first transaction's commit to the last, rows after the first
 * transaction, so neither the app's start nor the baseline's first round trip counts;
 * (c) p50/p99 of {@code GET /customers} pages (keyset, {@code country=}, {@code q=}) and of
 * {@code GET /customers/{email}/orders} as crm, at N rows.
 *
 * <pre>./mvnw -B -pl bench exec:exec@projection   (-Dbench.projection.contacts=N -Dbench.projection.requests=N
 *     -Dbench.projection.jfr=true)</pre>
 */
public final class ProjectionBenchmark {

    /** order-app's {@code order.read-model.batch-size}: the projection's records per transaction. */
    static final int BATCH = 2000;
    static final String[] COUNTRIES = { "FR", "DE", "GB", "US", "ES", "IT", "NL", "BE", "PL", "SE", "PT", "IE", "AT",
            "DK", "FI", "NO", "CH", "CZ", "CA", "JP" };
    static final String[] FIRST_NAMES = { "alice", "bruno", "carla", "david", "elena", "felix", "greta", "hugo", "ines",
            "jonas", "karin", "lucas", "marta", "nils", "olga", "pablo", "quinn", "rosa", "simon", "tara", "ugo", "vera",
            "wim", "xenia", "yann", "zoe" };
    private static final Topic<String, Contact> CONTACTS = Topics.IMPORT_CONTACTS;
    /** The customers table once the rebuild (a') switched: the queries (c) read it. */
    static final String LIVE_AFTER_REBUILD = "customers_v2";

    public static void main(String[] args) throws Exception {
        int contacts = Integer.getInteger("bench.projection.contacts", 1_000_000);
        int requests = Integer.getInteger("bench.projection.requests", 2_000);
        if (contacts <= BATCH) {
            throw new IllegalArgumentException("bench.projection.contacts must exceed one batch (" + BATCH + "): the clock runs from the first commit");
        }
        Path work = Files.createDirectories(Path.of("target", "bench-projection"));
        Path data = Files.createTempDirectory(work, "run-");
        Map<String, Object> json = new LinkedHashMap<>();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(data.resolve("kafka"), List.of("-Xmx1g", "-XX:+UseG1GC"));
                PostgresServer postgres = PostgresServer.start(data.resolve("postgres"), 0, UUID.randomUUID().toString(),
                        Map.of("track_commit_timestamp", "on"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String kafka = broker.bootstrapServers();
            createTopics(admin);
            PostgresDatabase db = postgres.createDatabase("orders");
            long t0 = System.nanoTime();
            produce(kafka, contacts);
            System.out.printf("%,d contacts produced in %.1f s%n", contacts, (System.nanoTime() - t0) / 1e9);
            List<Contact> records = readBack(kafka, contacts);

            int port = KafkaBroker.freePort();
            JavaProcess.Builder b = BenchApp.builder("order-app", "order-app-projection", port).jvmArg("-Xmx512m")
                    .systemProperty("kafka.bootstrap.servers", kafka)
                    .systemProperty("eventkit.instance-id", "bench-projection")
                    .systemProperty("order.views.enabled", "false")
                    .systemProperty("order.read-model.batch-size", String.valueOf(BATCH));
            if (Boolean.getBoolean("bench.projection.jfr")) { // a CPU profile of order-app: target/bench-projection/order-app.jfr
                b.jvmArg("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve("order-app.jfr").toAbsolutePath());
            }
            db.environment().forEach(b::environment);
            long startedAt = System.nanoTime();
            JavaProcess app = b.start().process();
            try {
                double readySeconds = (System.nanoTime() - startedAt) / 1e9;
                // CPU per row: unlike the rows/s, it hardly depends on what else shares the machine
                double appCpu = BenchMachine.cpuSeconds(app.pid());
                double readyToDone = awaitProjected(db, contacts, readySeconds);
                appCpu = BenchMachine.cpuSeconds(app.pid()) - appCpu;
                Map<String, Object> projection = commits(db, "customers_v1");
                projection.put("appReadySeconds", readySeconds);
                projection.put("readyToDoneSeconds", readyToDone);
                projection.put("clientCpuSecondsPer1000Rows", appCpu * 1000 / contacts);
                double benchCpu = BenchMachine.cpuSeconds(ProcessHandle.current().pid());
                Map<String, Object> baseline = baseline(db, records);
                baseline.put("clientCpuSecondsPer1000Rows",
                        (BenchMachine.cpuSeconds(ProcessHandle.current().pid()) - benchCpu) * 1000 / contacts);
                dropBaselineTable(db); // before the rebuild: its autovacuum must not run beside it
                Map<String, Object> rebuild = warmRebuild(db, port, app.pid(), contacts);
                json.put("projection", projection);
                json.put("baseline", baseline);
                json.put("warmRebuild", rebuild);
                json.put("projectionToBaseline", (Double) projection.get("rowsPerSecond") / (Double) baseline.get("rowsPerSecond"));
                json.put("warmRebuildToBaseline", (Double) rebuild.get("rowsPerSecond") / (Double) baseline.get("rowsPerSecond"));
                settle(db, LIVE_AFTER_REBUILD);
                json.put("loadAverageBeforeQueries", BenchMachine.loadAverage());
                List<String> emails = sample(records);
                records = null; // N decoded contacts: no GC of them inside the clients' measured requests
                System.gc();
                ProjectionQueries queries = new ProjectionQueries("http://localhost:" + port,
                        app.pid(), emails, requests, Double.parseDouble(System.getProperty("bench.projection.max-warmup-seconds", "120")));
                json.put("queries", queries.measure());
                json.put("queryWarmUp", queries.warmUp());
                json.put("plans", plans(db, emails.get(0)));
            } finally {
                app.stop(Duration.ofSeconds(20));
            }
        }
        BenchMachine.deleteRecursively(data);
        report(contacts, requests, json);
    }

    /** 10,000 customers' emails (all when fewer), random but the same every run. */
    private static List<String> sample(List<Contact> records) {
        java.util.Random random = new java.util.Random(11);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < Math.min(10_000, records.size()); i++) {
            emails.add(records.get(random.nextInt(records.size())).email());
        }
        return emails;
    }

    private static void createTopics(Admin admin) throws Exception {
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> t : List.of(CONTACTS, Topics.ORDERS_DELIVERIES_STORE, Topics.ORDERS_INVOICES)) {
            topics.add(new NewTopic(t.name(), 6, (short) 1).configs(compacted));
        }
        for (Topic<?, ?> t : List.of(Topics.ORDERS_PURCHASE_COMPLETED, Topics.ORDERS_CHECKOUT_COMPLETED)) {
            topics.add(new NewTopic(t.name(), 6, (short) 1));
        }
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }

    static Contact contact(int i) {
        String first = FIRST_NAMES[i % FIRST_NAMES.length];
        return new Contact(String.format("c%08d@bench.example", i), first + " " + Integer.toString(i, 36),
                COUNTRIES[(i / 7) % COUNTRIES.length], "+3361" + String.format("%07d", i), "Europe/Paris", "bench-import",
                Instant.parse("2026-12-01T00:00:00Z").plusSeconds(i));
    }

    private static void produce(String kafka, int contacts) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka, "acks", "all",
                "enable.idempotence", true, "linger.ms", 10, "compression.type", "lz4", "batch.size", 262_144),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < contacts; i++) {
                Contact c = contact(i);
                RecordHeaders headers = new RecordHeaders();
                producer.send(new ProducerRecord<>(CONTACTS.name(), null, c.email().getBytes(StandardCharsets.UTF_8),
                        CONTACTS.valueSerializer().serialize(CONTACTS.name(), headers, c), headers));
            }
            producer.flush();
        }
    }

    /** The records as the projection decodes them, read back with a plain consumer (outside every clock). */
    private static List<Contact> readBack(String kafka, int contacts) {
        List<Contact> out = new ArrayList<>(contacts);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                "isolation.level", "read_committed", "max.poll.records", BATCH), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(CONTACTS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (out.size() < contacts) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(CONTACTS.valueDeserializer().deserialize(r.topic(), r.headers(), r.value()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read back only " + out.size() + " of " + contacts + " contacts");
                }
            }
        }
        return out;
    }

    /**
     * Seconds from app ready until the projection's stored offsets are at the topic's end (polled: cheap, where a
     * {@code count(*)} over 1M rows is not), then checks the row count once.
     */
    private static double awaitProjected(PostgresDatabase db, int contacts, double readySeconds) throws Exception {
        long readyAt = System.nanoTime();
        long deadline = readyAt + TimeUnit.MINUTES.toNanos(20);
        try (Connection c = db.connect()) {
            while (true) {
                long applied = applied(c);
                long now = System.nanoTime();
                if (applied >= contacts) {
                    long rows = count(c, "customers");
                    if (rows != contacts) {
                        throw new IllegalStateException("projection at the topic's end with " + rows + " rows, not " + contacts);
                    }
                    System.out.printf("projection: %,d rows %.2f s after app ready (app ready after %.1f s)%n", contacts,
                            (now - readyAt) / 1e9, readySeconds);
                    return (now - readyAt) / 1e9;
                }
                if (now > deadline) {
                    throw new IllegalStateException("projection applied only " + applied + " of " + contacts);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void dropBaselineTable(PostgresDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE customers_bench");
        }
    }

    /**
     * (a') The same rows projected again by the same order-app, now warm: its rebuild of customers
     * ({@code POST /admin/projections/customers/rebuild} as admin: version 2 built from the topic's start beside
     * version 1, which keeps serving, switched when caught up), clocked like (a) on {@code customers_v2}. A fresh JVM
     * compiles while it projects (a); a long-running instance, or a rebuild, does not.
     */
    private static Map<String, Object> warmRebuild(PostgresDatabase db, int port, long appPid, int contacts) throws Exception {
        double appCpu = BenchMachine.cpuSeconds(appPid);
        long requestedAt = System.nanoTime();
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                BenchApp.as(AppSecrets.ADMIN, "http://localhost:" + port + "/admin/projections/customers/rebuild")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("rebuild: " + r.statusCode() + " " + r.body());
        }
        long deadline = requestedAt + TimeUnit.MINUTES.toNanos(20);
        try (Connection c = db.connect()) {
            while (liveVersion(c) != 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rebuild did not switch to version 2 within 20 minutes");
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - requestedAt) / 1e9;
            appCpu = BenchMachine.cpuSeconds(appPid) - appCpu;
            long rows = count(c, LIVE_AFTER_REBUILD);
            if (rows != contacts) {
                throw new IllegalStateException("rebuild switched with " + rows + " rows, not " + contacts);
            }
            System.out.printf("warm rebuild: %,d rows, switched %.2f s after the request%n", contacts, seconds);
            Map<String, Object> m = commits(db, LIVE_AFTER_REBUILD);
            m.put("requestToSwitchSeconds", seconds);
            m.put("clientCpuSecondsPer1000Rows", appCpu * 1000 / contacts);
            return m;
        }
    }

    private static int liveVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT live_version FROM projection_versions WHERE projection = 'customers' AND building_version IS NULL")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    /**
     * The queries meet the tables as after a bulk load once autovacuum has been by: the live customers table vacuumed
     * and analysed.
     */
    private static void settle(PostgresDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE " + table);
        }
    }

    /**
     * PostgreSQL's plans for the shapes order-app's {@code ReadModelQueries} sends (a page in the middle of each
     * list): which index actually serves each query at N rows, beside the one the migration's comments name.
     */
    private static Map<String, String> plans(PostgresDatabase db, String email) throws SQLException {
        String columns = "SELECT email, name, country, phone, time_zone, import_id, updated_at FROM customers WHERE true";
        Map<String, String> sql = new LinkedHashMap<>();
        sql.put("customers page", columns + " AND email > '" + email + "' ORDER BY email LIMIT 51");
        sql.put("customers country page", columns + " AND country = 'FR' AND email > '" + email + "' ORDER BY email LIMIT 51");
        sql.put("customers q page", columns + " AND (email LIKE 'alice%' OR lower(name) LIKE 'alice%') AND email > '" + email
                + "' ORDER BY email LIMIT 51");
        sql.put("customer orders", "SELECT order_id FROM order_history WHERE customer_id = '" + email
                + "' ORDER BY checked_out_at DESC, order_id DESC LIMIT 51");
        Map<String, String> plans = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : sql.entrySet()) {
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) " + q.getValue())) {
                    while (rs.next()) {
                        lines.add(rs.getString(1).trim());
                    }
                }
                plans.put(q.getKey(), String.join(" | ", lines));
                System.out.println("plan, " + q.getKey() + ": " + plans.get(q.getKey()));
            }
        }
        return plans;
    }

    private static long applied(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT coalesce(sum(next_offset), 0) FROM projection_offsets WHERE projection = 'customers'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException notMigratedYet) {
            return 0;
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The server's clock of the transactions that wrote {@code table}'s rows: rows after the first transaction per
     * second from its commit to the last one's (both sides measured alike, whoever runs the transactions).
     */
    private static Map<String, Object> commits(PostgresDatabase db, String table) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "WITH t AS (SELECT pg_xact_commit_timestamp(xmin) AS ts FROM " + table + ")"
                        + " SELECT count(*), count(DISTINCT ts), (SELECT count(*) FROM t WHERE ts = (SELECT min(ts) FROM t)),"
                        + " extract(epoch FROM max(ts) - min(ts)) FROM t")) {
            rs.next();
            long rows = rs.getLong(1);
            long transactions = rs.getLong(2);
            long firstRows = rs.getLong(3);
            double seconds = rs.getDouble(4);
            if (transactions < 2) {
                throw new IllegalStateException(table + ": " + transactions + " transaction(s), nothing to clock");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rowsPerSecond", (rows - firstRows) / seconds);
            m.put("firstToLastCommitSeconds", seconds);
            m.put("rows", rows);
            m.put("transactions", transactions);
            m.put("meanRowsPerTransaction", (double) rows / transactions);
            return m;
        }
    }

    /**
     * The baseline: order-app's customers upsert ({@code CustomersHandler}), verbatim but for the table,
     * as JDBC batches of {@link #BATCH} rows with {@code reWriteBatchedInserts} (as the app's datasource), one
     * transaction per batch.
     */
    private static Map<String, Object> baseline(PostgresDatabase db, List<Contact> records) throws SQLException {
        String table = "customers_bench";
        String upsert = "INSERT INTO " + table + " (email, name, country, phone, time_zone, import_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name,"
                + " country = EXCLUDED.country, phone = EXCLUDED.phone, time_zone = EXCLUDED.time_zone,"
                + " import_id = EXCLUDED.import_id, updated_at = EXCLUDED.updated_at";
        PostgresDatabase batched = new PostgresDatabase(db.jdbcUrl() + "?reWriteBatchedInserts=true", db.username(), db.password());
        try (Connection c = batched.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (LIKE customers_v1 INCLUDING ALL)");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            for (int from = 0; from < records.size(); from += BATCH) {
                try (PreparedStatement up = c.prepareStatement(upsert)) {
                    for (Contact contact : records.subList(from, Math.min(records.size(), from + BATCH))) {
                        up.setString(1, Contact.normalizeEmail(contact.email()));
                        up.setString(2, contact.name());
                        up.setString(3, contact.country());
                        up.setString(4, contact.phone());
                        up.setString(5, contact.timeZone());
                        up.setString(6, contact.importId());
                        if (contact.updatedAt() == null) {
                            up.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            up.setTimestamp(7, Timestamp.from(contact.updatedAt()));
                        }
                        up.addBatch();
                    }
                    up.executeBatch();
                }
                c.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            c.setAutoCommit(true);
            long rows = count(c, table);
            if (rows != records.size()) {
                throw new IllegalStateException("baseline wrote " + rows + " rows, not " + records.size());
            }
            System.out.printf("baseline: %,d rows in %.2f s (wall clock, first batch included)%n", rows, seconds);
            Map<String, Object> m = commits(db, table);
            m.put("wallClockSeconds", seconds);
            return m;
        }
    }

    @SuppressWarnings("unchecked")
    private static void report(int contacts, int requests, Map<String, Object> json) throws Exception {
        Map<String, Object> projection = (Map<String, Object>) json.get("projection");
        Map<String, Object> baseline = (Map<String, Object>) json.get("baseline");
        double ratio = (Double) json.get("projectionToBaseline");
        System.out.println();
        System.out.printf("%-50s %12s %10s %8s %10s%n", "write (" + String.format("%,d", contacts) + " contacts)", "rows/s",
                "seconds", "tx", "vs raw");
        System.out.printf("%-50s %,12.0f %10.2f %8d %9.2fx%n", "raw JDBC batches (baseline)", baseline.get("rowsPerSecond"),
                baseline.get("firstToLastCommitSeconds"), baseline.get("transactions"), 1.0);
        System.out.printf("%-50s %,12.0f %10.2f %8d %9.2fx%n", "order-app customers projection (fresh JVM)", projection.get("rowsPerSecond"),
                projection.get("firstToLastCommitSeconds"), projection.get("transactions"), ratio);
        Map<String, Object> rebuild = (Map<String, Object>) json.get("warmRebuild");
        System.out.printf("%-50s %,12.0f %10.2f %8d %9.2fx%n", "order-app rebuild (warm JVM, v2 beside live v1)",
                rebuild.get("rowsPerSecond"), rebuild.get("firstToLastCommitSeconds"), rebuild.get("transactions"),
                json.get("warmRebuildToBaseline"));
        System.out.printf("(seconds: first commit -> last commit; the projection took %.2f s from app ready)%n",
                projection.get("readyToDoneSeconds"));
        System.out.printf("client CPU s per 1,000 rows: order-app %.4f (app ready -> done), %.4f (rebuild), baseline JVM %.4f%n",
                projection.get("clientCpuSecondsPer1000Rows"), rebuild.get("clientCpuSecondsPer1000Rows"),
                baseline.get("clientCpuSecondsPer1000Rows"));
        System.out.printf("projection / raw JDBC: %.2fx fresh JVM, %.2fx warm (target >= 0.7x)%n", ratio, json.get("warmRebuildToBaseline"));
        System.out.println();
        Map<String, Object> warmUp = (Map<String, Object>) json.get("queryWarmUp");
        System.out.printf("after a warm-up of %,d requests per client in %.1f s (order-app's JIT %s)%n", warmUp.get("requests"),
                warmUp.get("seconds"), Boolean.TRUE.equals(warmUp.get("jitSettled")) ? "settled" : "NOT settled");
        System.out.printf("%-50s %10s %10s %8s %12s  %s%n", "query (" + requests + " requests each)", "p50 ms", "p99 ms", "rows",
                "p99 JDK cl.", "index");
        Map<String, Map<String, Object>> queries = (Map<String, Map<String, Object>>) json.get("queries");
        queries.forEach((name, q) -> System.out.printf("%-50s %10.2f %10.2f %8.1f %12.2f  %s%n", name, q.get("p50Ms"),
                q.get("p99Ms"), q.get("meanRows"), q.get("jdkHttpClientP99Ms"), q.get("index")));
        System.out.println("target: p99 <= 5 ms each (blocking client; JDK cl.: the same queries through java.net.http.HttpClient)");
        json.put("benchmark", "P7 read model: customers projection vs raw JDBC batches, same run, same database; query latency");
        json.put("at", Instant.now().toString());
        json.put("contacts", contacts);
        json.put("batchSize", BATCH);
        json.put("requestsPerQuery", requests);
        json.put("projectionClock", "PostgreSQL commit timestamps (track_commit_timestamp): rows after the first transaction / (last commit - first commit), both sides");
        json.put("targets", Map.of("projectionToBaseline", ">= 0.7", "queryP99Ms", "<= 5"));
        json.put("machine", BenchMachine.describe());
        Path out = BenchMachine.results("projection.json");
        Files.createDirectories(out.getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write(Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        }
        System.out.println("written " + out.toAbsolutePath());
    }
}
