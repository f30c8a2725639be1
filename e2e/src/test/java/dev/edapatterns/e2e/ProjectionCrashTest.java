package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.deploy.PostgresDatabase;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TestPostgres;

/**
 * Pattern 1 under {@code kill -9}: the order-app process that projects {@code import.contacts} and the orders' stores
 * into PostgreSQL is killed while a batch transaction is open (PostgreSQL, its own process, keeps running and rolls it
 * back), records keep arriving while it is down, and it is restarted on the same database.
 *
 * <p>The projections are upserts, so replaying records after a crash would leave the same final tables: the proof of
 * "rows and offsets in one transaction" is taken at the crash point, with the app dead and the database still: every
 * table equals the fold of exactly the records below the stored offsets (a batch whose rows committed without its
 * offsets, or the reverse, shows as a row ahead of or behind them). After the restart the new process applies exactly
 * the records from the stored offsets on (its records counter), the stored offsets reach the topics' read_committed
 * ends, and the tables equal the fold of everything written: exact counts, each row the last value of its key,
 * tombstoned emails absent, each order's items as written — in the database and through {@code GET /customers}.
 *
 * <p>Its own broker (a child process): the topics hold only this test's records, so the tables and offsets are
 * compared whole, and no other class's order-app joins its groups.
 */
class ProjectionCrashTest {

    /** Distinct emails; each round upserts (or deletes) random ones among them. */
    static final int CUSTOMERS = 8_000;
    /** A round: enough records that projecting them takes longer than committing them, so the kill lands mid-way. */
    static final int CONTACTS_PER_ROUND = 40_000;
    static final int ORDERS_PER_ROUND = 1_500;
    static final int PER_TRANSACTION = 5_000;
    /** Rounds per kill before giving up: a round the projection finished before the test saw it mid-way is repeated. */
    static final int MAX_ROUNDS = 4;
    /** Kills before giving up: a kill that did not catch a batch transaction open is repeated. */
    static final int MAX_KILLS = 3;
    static final Duration CATCH_UP = Duration.ofSeconds(90);
    private static final String CUSTOMERS_PROJECTION = "customers";
    private static final String ORDERS_PROJECTION = "order-history";

    private final int port = KafkaBroker.freePort();
    /** The projecting process now (replaced on restart). */
    private RunningApp app;

    /** Where a kill landed: the stored offsets with the process dead, and whether PostgreSQL rolled a batch back. */
    record Crash(Map<String, Map<TopicPartition, Long>> stored, long start, long applied, long end, boolean rolledBack) {
        /** Contacts of the round applied, and some left: the kill landed inside the round, not after it. */
        boolean midway() {
            return applied > start && applied < end;
        }
    }

    @Test
    void killedMidBatchTheReadModelResumesExactlyOnce() throws IOException {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-projection-crash-");
        PostgresDatabase database = TestPostgres.freshDatabase();
        long t0 = System.nanoTime();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir);
             ProjectionInput input = new ProjectionInput(KafkaClients.of(broker.bootstrapServers()).with(TestKafka.FAST_FAILOVER),
                     CUSTOMERS);
             ReadModelDatabase db = new ReadModelDatabase(database)) {
            Map<String, String> config = config(broker.bootstrapServers(), database);
            app = start(config);
            List<String> kills = new ArrayList<>();
            for (int kill = 1; ; kill++) {
                Crash crash = killMidway(input, db);
                String what = String.format("kill %d: customers at %d (round %d..%d), batch rolled back: %s", kill,
                        crash.applied(), crash.start(), crash.end(), crash.rolledBack());
                kills.add(what);
                ImporterCluster.log("projection %s", what);
                verifyAtCrashPoint(db, input, crash);

                input.round(CONTACTS_PER_ROUND / 8, ORDERS_PER_ROUND / 8, PER_TRANSACTION); // committed while it is down
                app = start(config);
                awaitCaughtUp(db, input);
                verifyAppliedOnce(app, input, crash);
                if (crash.rolledBack() && crash.midway()) {
                    break;
                }
                assertTrue(kill < MAX_KILLS, "no kill caught a batch transaction open mid-way: " + kills);
            }
            verifyTables(db, input, input.ends(ProjectionInput.PROJECTIONS.get(CUSTOMERS_PROJECTION)),
                    input.ends(ProjectionInput.PROJECTIONS.get(ORDERS_PROJECTION)));
            verifyReadApi(app, input.customers(input.ends(ProjectionInput.PROJECTIONS.get(CUSTOMERS_PROJECTION))));
            ImporterCluster.log("projection crash verified in %d ms: %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    kills);
        }
    }

    /**
     * Commits rounds of input until the customers projection is seen mid-way through one (stored offsets past the
     * round's start, short of its end) with one of the app's connections inside a writing transaction; then
     * {@code kill -9}. Returns the database's state once the app's connections are gone.
     */
    private Crash killMidway(ProjectionInput input, ReadModelDatabase db) {
        List<String> topics = ProjectionInput.PROJECTIONS.get(CUSTOMERS_PROJECTION);
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            long start = applied(db);
            input.round(CONTACTS_PER_ROUND, ORDERS_PER_ROUND, PER_TRANSACTION);
            long end = sum(input.ends(topics));
            AtomicLong seen = new AtomicLong();
            AtomicLong rolledBackBefore = new AtomicLong();
            await().atMost(CATCH_UP).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
                long applied = applied(db);
                seen.set(applied);
                if (applied >= end) {
                    return true; // finished before it was seen mid-way: another round
                }
                rolledBackBefore.set(db.rolledBack());
                return applied > start && db.appWriting();
            });
            if (seen.get() >= end) {
                ImporterCluster.log("projection round %d applied before a kill could land: another round", round);
                continue;
            }
            app.kill();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> db.appConnections() == 0);
            Map<String, Map<TopicPartition, Long>> stored = new HashMap<>();
            ProjectionInput.PROJECTIONS.keySet().forEach(p -> stored.put(p, db.storedOffsets(p)));
            return new Crash(stored, start, sum(stored.get(CUSTOMERS_PROJECTION)), end, rolledBackSince(db, rolledBackBefore.get()));
        }
        throw new AssertionError("the projection finished each of " + MAX_ROUNDS + " rounds before it was seen mid-way");
    }

    /**
     * Whether PostgreSQL rolled back a transaction of the database since {@code before}. A backend's counts reach
     * pg_stat_database as it exits, not necessarily before it leaves pg_stat_activity: they get a moment to arrive.
     */
    private static boolean rolledBackSince(ReadModelDatabase db, long before) {
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> db.rolledBack() > before);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** With the app dead: each table is the fold of exactly the records below its stored offsets. */
    private static void verifyAtCrashPoint(ReadModelDatabase db, ProjectionInput input, Crash crash) {
        assertEquals("", diff(input.customers(crash.stored().get(CUSTOMERS_PROJECTION)), db.customers()),
                "customers at the crash point (stored offsets " + crash.stored().get(CUSTOMERS_PROJECTION) + ")");
        assertEquals("", diff(input.orderHistory(crash.stored().get(ORDERS_PROJECTION)), db.orderHistory()),
                "order_history at the crash point (stored offsets " + crash.stored().get(ORDERS_PROJECTION) + ")");
    }

    /** The stored offsets of both projections reach the topics' read_committed ends. */
    private static void awaitCaughtUp(ReadModelDatabase db, ProjectionInput input) {
        await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(100)).until(() -> ProjectionInput.PROJECTIONS.entrySet().stream()
                .allMatch(p -> sameOffsets(input.ends(p.getValue()), db.storedOffsets(p.getKey()))));
    }

    /** The restarted process applied each record from the crash point on once: its records counter says how many. */
    private static void verifyAppliedOnce(RunningApp app, ProjectionInput input, Crash crash) {
        for (var p : ProjectionInput.PROJECTIONS.entrySet()) {
            long expected = input.recordsFrom(crash.stored().get(p.getKey()), p.getValue());
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)) // the counter trails the commit
                    .until(() -> recordsCounter(app, p.getKey()) >= expected);
            assertEquals(expected, recordsCounter(app, p.getKey()),
                    p.getKey() + ": records applied by the restarted process = records from the crash point on");
        }
    }

    private static void verifyTables(ReadModelDatabase db, ProjectionInput input, Map<TopicPartition, Long> contactEnds,
            Map<TopicPartition, Long> orderEnds) {
        assertTrue(sameOffsets(contactEnds, db.storedOffsets(CUSTOMERS_PROJECTION)), "customers offsets = read_committed ends");
        assertTrue(sameOffsets(orderEnds, db.storedOffsets(ORDERS_PROJECTION)), "order-history offsets = read_committed ends");
        Map<String, Contact> customers = input.customers(contactEnds);
        Map<String, Contact> rows = db.customers();
        assertEquals(customers.size(), rows.size(), "one customer row per email whose last record is a contact");
        assertEquals("", diff(customers, rows), "each customer row is the last contact written for its email");
        Map<String, ProjectionInput.OrderRow> orders = input.orderHistory(orderEnds);
        assertEquals("", diff(orders, db.orderHistory()), "each order once, with its items, delivery and invoice");
        assertTrue(orders.values().stream().allMatch(o -> o.items() != null && o.invoiceNumber() != null),
                "every order was both delivered and invoiced");
        ImporterCluster.log("projection tables: %d customers, %d orders", rows.size(), orders.size());
    }

    /** {@code GET /customers} as crm, every page: the same customers as the table. */
    private static void verifyReadApi(RunningApp app, Map<String, Contact> customers) {
        Map<String, String> listed = new HashMap<>();
        String after = null;
        do {
            String url = app.url() + "/customers?limit=500" + (after == null ? "" : "&after=" + after);
            Http.Response page = Http.as(Http.CRM).get(url);
            assertEquals(200, page.status(), page.body());
            for (JsonNode c : page.json().get("items")) {
                assertEquals(null, listed.put(c.get("email").asText(), c.get("name").asText()), "listed twice: " + c);
            }
            JsonNode next = page.json().get("next");
            after = next == null || next.isNull() ? null : next.asText();
        } while (after != null);
        assertEquals("", diff(customers.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().name())),
                listed), "GET /customers");
    }

    private Map<String, String> config(String bootstrapServers, PostgresDatabase database) {
        Map<String, String> config = new HashMap<>(database.quarkusConfig()); // the same database across restarts
        config.put(RunningApp.BOOTSTRAP, bootstrapServers);
        config.put(RunningApp.INSTANCE_ID, "projection-crash");
        // the killed process's group member is gone before the restarted one joins
        config.put("kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"));
        config.put("kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"));
        // only the read model: checkout and the views would not read or write anything here
        config.put("order.checkout.enabled", "false");
        config.put("order.views.enabled", "false");
        return config;
    }

    private RunningApp start(Map<String, String> config) {
        long t0 = System.nanoTime();
        RunningApp started = RunningApp.start("order-app", "order-app-projection-crash", port, config);
        ImporterCluster.log("projecting order-app listening in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return started;
    }

    /** Nothing to shut down gracefully: the broker and the database are this test's alone. */
    @AfterEach
    void killApp() {
        if (app != null && app.isAlive()) {
            app.kill();
        }
    }

    /** Contacts the customers projection has applied: the sum of its stored offsets. */
    private static long applied(ReadModelDatabase db) {
        return sum(db.storedOffsets(CUSTOMERS_PROJECTION));
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Equal, a partition without a stored offset counting as 0 (no record there yet). */
    private static boolean sameOffsets(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> stored) {
        return ends.entrySet().stream().allMatch(e -> e.getValue() == stored.getOrDefault(e.getKey(), 0L).longValue())
                && ends.keySet().containsAll(stored.keySet());
    }

    private static final Pattern COUNTER = Pattern.compile(
            "^eventkit_projection_records_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);

    /** {@code eventkit_projection_records_total} of the projection's live version in this process. */
    private static long recordsCounter(RunningApp app, String projection) {
        Matcher m = COUNTER.matcher(Http.get(app.managementUri() + "/q/metrics").body());
        while (m.find()) {
            if (m.group(1).contains("projection=\"" + projection + "\"")) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /** "" when equal, else what differs (a few examples of each kind): a readable failure for tables of thousands. */
    static <K, V> String diff(Map<K, V> expected, Map<K, V> actual) {
        List<K> missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).toList();
        List<K> unexpected = actual.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
        List<String> different = expected.keySet().stream().filter(actual::containsKey)
                .filter(k -> !Objects.equals(expected.get(k), actual.get(k)))
                .map(k -> k + ": expected " + expected.get(k) + " but was " + actual.get(k)).toList();
        if (missing.isEmpty() && unexpected.isEmpty() && different.isEmpty()) {
            return "";
        }
        return String.format("%d missing %s, %d unexpected %s, %d different %s", missing.size(), first(missing),
                unexpected.size(), first(unexpected), different.size(), first(different));
    }

    private static <T> List<T> first(List<T> items) {
        return items.subList(0, Math.min(3, items.size()));
    }
}
