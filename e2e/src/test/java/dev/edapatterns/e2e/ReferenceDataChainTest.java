package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 3 across processes: order-app owns {@code reference.countries} (seeded out of the box on the cluster's first
 * start), billing-app derives {@code reference.timezones} (from tz data for a country without zones, or the admin's
 * explicit zones), import-app enriches contacts from it. Changes travel the chain within seconds, restarts rebuild
 * every store (and never re-emit a derived value, nor re-seed a deleted country), readiness is DOWN until a store is
 * loaded and the importer does not consume before that.
 */
// a broker of its own: the chain runs beside the other classes (it shares no consumer group with them), its 300,000
// filler records in reference.timezones burden no app started later, and its fetch quota throttles only its own apps;
// first, being the longest class, so the others fill the second thread meanwhile
@Order(1)
class ReferenceDataChainTest {

    private static final Duration CHAIN = Duration.ofSeconds(15);
    private static final Duration BOOT = Duration.ofSeconds(60);
    private static KafkaBroker broker;
    private static KafkaClients clients;
    private final String kafka = broker.bootstrapServers();
    private final AtomicInteger emails = new AtomicInteger();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startOnFreePorts(Path.of("target"), Map.of());
        clients = KafkaClients.of(broker.bootstrapServers()).with(TestKafka.FAST_FAILOVER);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void countriesFlowToTimeZonesAndContactsAcrossRestarts() throws Exception {
        // the three boot side by side: each mostly waits on the broker while starting
        CompletableFuture<RunningApp> orderStarting = CompletableFuture.supplyAsync(() -> start("order-app"));
        CompletableFuture<Restartable> billingStarting = CompletableFuture.supplyAsync(() -> new Restartable("billing-app"));
        CompletableFuture<Restartable> importerStarting = CompletableFuture.supplyAsync(() -> new Restartable("import-app"));
        try (RunningApp order = orderStarting.join();
             Restartable billing = billingStarting.join();
             Restartable importer = importerStarting.join()) {
            String countries = order.url() + "/countries/";
            // the seed (this start's or an earlier one's) has them without zones: gone first, so this test's history
            // of the derived topic starts from nothing. Billing derives the whole seed first, while the three apps
            // finish booting: the busiest moment of the chain on a 2-core box, so it gets the boot's bound
            for (String code : List.of("NZ", "AU")) {
                await().atMost(BOOT).until(() -> derived(billing.app, code) != null);
                assertEquals(204, Http.as(Http.ADMIN).delete(countries + code).status());
                awaitGone(billing.app, code);
            }
            Map<TopicPartition, Long> from = end(Topics.REFERENCE_TIMEZONES);

            assertEquals(201, Http.as(Http.ADMIN).put(countries + "NZ", newZealand("New Zealand",
                    "Pacific/Auckland", "Pacific/Chatham")).status());
            assertEquals(401, Http.put(countries + "NZ", "nobody", "wrong", newZealand("X", "Pacific/Auckland")).status());
            awaitDerived(billing.app, "NZ", "Pacific/Auckland");
            awaitEnriched(importer.app, "NZ", "Pacific/Auckland");

            // a name-only change derives nothing new; a new primary zone travels the whole chain
            assertEquals(200, Http.as(Http.ADMIN).put(countries + "NZ", newZealand("Aotearoa New Zealand",
                    "Pacific/Auckland", "Pacific/Chatham")).status());
            assertEquals(200, Http.as(Http.ADMIN).put(countries + "NZ", newZealand("Aotearoa New Zealand",
                    "Pacific/Chatham", "Pacific/Auckland")).status());
            awaitDerived(billing.app, "NZ", "Pacific/Chatham");
            awaitEnriched(importer.app, "NZ", "Pacific/Chatham");

            // billing restart 1 (graceful), with changes made while it is down
            billing.app.close();
            assertEquals(201, Http.as(Http.ADMIN).put(countries + "AU", json("Australia", "AUD",
                    "Australia/Sydney", "Australia/Perth")).status());
            assertEquals(200, Http.as(Http.ADMIN).put(countries + "NZ", newZealand("New Zealand",
                    "Pacific/Chatham", "Pacific/Auckland")).status());
            billing.restart();
            awaitDerived(billing.app, "AU", "Australia/Sydney");
            awaitEnriched(importer.app, "AU", "Australia/Sydney");

            // billing restart 2 (kill -9), then a delete travels as tombstones
            billing.app.kill();
            billing.restart();
            assertEquals("Pacific/Chatham", billing.app == null ? null : derived(billing.app, "NZ"), "store rebuilt");
            assertEquals(204, Http.as(Http.ADMIN).delete(countries + "AU").status());
            awaitGone(billing.app, "AU");
            awaitEnriched(importer.app, "AU", null);

            // the derived topic since the deletes above: exactly one record per real change, never the same value twice
            Map<String, List<CountryTimeZones>> history = history(from, "NZ", "AU");
            assertEquals(List.of(zones("Pacific/Auckland", "Pacific/Chatham"), zones("Pacific/Chatham", "Pacific/Auckland")),
                    history.get("NZ"));
            assertEquals(Arrays.asList(zones("Australia/Sydney", "Australia/Perth"), null), history.get("AU"));
            history.forEach((code, values) -> {
                for (int i = 1; i < values.size(); i++) {
                    assertNotEquals(values.get(i - 1), values.get(i), code + ": the same value emitted twice in a row");
                }
            });

            // the seed's example: South Sudan is there out of the box, its zone derived by billing-app; deleted here, it
            // stays deleted across the order-app restart below
            assertEquals(200, Http.get(countries + "SS").status(), "seeded");
            awaitDerived(billing.app, "SS", "Africa/Juba");
            assertEquals(204, Http.as(Http.ADMIN).delete(countries + "SS").status());
            awaitGone(billing.app, "SS");
            awaitEnriched(importer.app, "SS", null);

            // order-app restart: its countries store is rebuilt from the topic, and nothing is seeded again
            order.close();
            try (RunningApp again = start("order-app")) {
                Http.Response nz = Http.get(again.url() + "/countries/NZ");
                assertEquals(200, nz.status());
                assertEquals("New Zealand", nz.json().get("name").asText());
                assertEquals(404, Http.get(again.url() + "/countries/AU").status());
                assertEquals(404, Http.get(again.url() + "/countries/SS").status(), "a deleted country is never seeded back");

                // added back with name and currency only: billing-app derives the zone itself, new contacts get it
                Http.Response added = Http.as(Http.ADMIN).put(again.url() + "/countries/SS",
                        "{\"name\":\"South Sudan\",\"currency\":\"SSP\"}");
                assertEquals(201, added.status(), added.body());
                awaitDerived(billing.app, "SS", "Africa/Juba");
                Http.Response ss = Http.get(billing.app.url() + "/timezones/SS");
                assertEquals("[\"Africa/Juba\"]", ss.json().get("zones").toString());
                assertTrue(ss.json().get("tzVersion").asText().matches("\\d{4}[a-z]+/\\d{4}[a-z]+"), ss.body());
                awaitEnriched(importer.app, "SS", "Africa/Juba");
            }

            // import-app restart over a large reference topic: readiness DOWN while reference.timezones loads, the
            // importer not even in its group meanwhile, then UP with the store rebuilt
            importer.app.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> !importerGroupHasMembers()); // left on shutdown
            fillTimeZones(300_000);
            List<String> seen = new ArrayList<>();
            // the store replays 300k records in about a second, less than the app's boot: a broker quota on the
            // store's consumer (a slow link) makes the load outlast the boot, so readiness can be watched meanwhile
            throttleTimeZonesStore(STORE_BYTES_PER_SECOND);
            AtomicBoolean throttled = new AtomicBoolean(true);
            try {
                importer.restartWatching(() -> {
                    // the group first: if the store is still loading after it, it was loading when the group was seen
                    boolean members = importerGroupHasMembers();
                    Http.Response ready = Http.get(importer.app.managementUri() + "/q/health/ready");
                    boolean loading = timeZonesLoading(ready);
                    seen.add(ready.status() == 200 ? "UP" : loading ? (members ? "LOADING+IMPORTER" : "LOADING") : "DOWN");
                    if (loading && throttled.getAndSet(false)) {
                        // loading was seen: the rest of the load at full speed, watched the same way to its end
                        throttleTimeZonesStore(null);
                    }
                    return ready.status() == 200;
                });
            } finally {
                if (throttled.get()) {
                    throttleTimeZonesStore(null);
                }
            }
            assertTrue(seen.contains("LOADING"), "readiness while reference.timezones loads: " + seen);
            assertEquals("UP", seen.get(seen.size() - 1));
            assertTrue(!seen.contains("LOADING+IMPORTER"), "the importer joined its group while the time zones loaded: " + seen);
            awaitEnriched(importer.app, "NZ", "Pacific/Chatham");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** An app that can be restarted on the same port with the same instance id (stable transactional.id). */
    private final class Restartable implements AutoCloseable {
        final String module;
        final int port = KafkaBroker.freePort();
        RunningApp app;

        Restartable(String module) {
            this.module = module;
            restart();
        }

        void restart() {
            app = RunningApp.start(module, port, config());
            await().atMost(BOOT).until(app::ready);
        }

        /** Starts and polls {@code untilUp} as fast as it can from the moment HTTP is open. */
        void restartWatching(java.util.concurrent.Callable<Boolean> untilUp) {
            app = RunningApp.start(module, port, config());
            await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(untilUp);
        }

        @Override
        public void close() {
            if (app != null) {
                app.close();
            }
        }
    }

    private RunningApp start(String module) {
        RunningApp app = RunningApp.start(module, KafkaBroker.freePort(), config());
        await().atMost(BOOT).until(app::ready);
        return app;
    }

    private Map<String, String> config() {
        // fast failover like the other process tests: static members (billing's deriver, import-app's aggregate
        // writer) do not leave their group on shutdown, so later tests would wait out a 45 s session otherwise
        return Map.of("kafka.bootstrap.servers", kafka, "eventkit.instance-id", "e2e-chain",
                "kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"),
                "kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"));
    }

    private static void awaitDerived(RunningApp billing, String code, String primaryZone) {
        await().atMost(CHAIN).until(() -> primaryZone.equals(derived(billing, code)));
    }

    /** Billing's store no longer has {@code code}; on a timeout, says what the deriver had done by then. */
    private static void awaitGone(RunningApp billing, String code) {
        await().atMost(CHAIN).untilAsserted(() -> assertEquals(404, Http.get(billing.url() + "/timezones/" + code).status(),
                () -> code + " still in billing's store; its readiness: " + Http.get(billing.managementUri() + "/q/health/ready").body()));
    }

    private static String derived(RunningApp billing, String code) {
        Http.Response r = Http.get(billing.url() + "/timezones/" + code);
        return r.status() == 200 ? r.json().get("primaryZone").asText() : null;
    }

    /** Imports one fresh contact of {@code country} until it is stored with {@code zone}: the chain's end. */
    private void awaitEnriched(RunningApp importApp, String country, String zone) {
        await().atMost(CHAIN).pollInterval(Duration.ofMillis(300)).until(() -> Objects.equals(zone, importedZone(importApp, country)));
    }

    /** The zone of a fresh contact of {@code country} as the importer committed it on {@code import.contacts}. */
    private String importedZone(RunningApp importApp, String country) {
        String email = "chain" + emails.incrementAndGet() + "-" + UUID.randomUUID() + "@example.com";
        Map<TopicPartition, Long> from = end(Topics.IMPORT_CONTACTS);
        Http.Response accepted = Http.as(Http.IMPORTER).post(importApp.url() + "/imports", "text/csv",
                "email,name,country\n" + email + ",Chain," + country + "\n");
        assertEquals(202, accepted.status(), accepted.body());
        Contact contact = committedContact(email, from);
        return contact.timeZone();
    }

    /** The first committed {@code import.contacts} record of {@code email} at or after {@code from}; waits up to 30 s. */
    private static Contact committedContact(String email, Map<TopicPartition, Long> from) {
        var topic = Topics.IMPORT_CONTACTS;
        try (var consumer = new KafkaConsumer<>(clients.consumer(Map.of("isolation.level", "read_committed")),
                topic.keyDeserializer(), topic.valueDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Contact> r : consumer.poll(Duration.ofMillis(200))) {
                    if (email.equals(r.key()) && r.value() != null) {
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("no committed contact " + email + " within 30 s");
    }

    /** The end of each partition of {@code topic} now. */
    private static Map<TopicPartition, Long> end(dev.edapatterns.contracts.Topic<?, ?> topic) {
        try (var consumer = new KafkaConsumer<>(clients.consumer(Map.of()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return consumer.endOffsets(consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        }
    }

    /** The committed values of these keys written from {@code from} on. */
    private static Map<String, List<CountryTimeZones>> history(Map<TopicPartition, Long> from, String... codes) {
        Map<String, List<CountryTimeZones>> history = new HashMap<>();
        for (String code : codes) {
            history.put(code, new ArrayList<>());
        }
        for (ConsumerRecord<String, CountryTimeZones> r : TopicRecords.readCommitted(clients, Topics.REFERENCE_TIMEZONES)) {
            if (history.containsKey(r.key()) && r.offset() >= from.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                history.get(r.key()).add(r.value());
            }
        }
        return history;
    }

    /** Filler keys that are no country code: they only make the topic long to load. */
    private static void fillTimeZones(int records) throws Exception {
        var topic = Topics.REFERENCE_TIMEZONES;
        Map<String, Object> props = new HashMap<>(clients.producer(Map.of()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (var producer = new KafkaProducer<>(props, topic.keySerializer(), topic.valueSerializer())) {
            CountryTimeZones value = zones("Etc/UTC");
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic.name(), "filler-" + i, value));
            }
            producer.flush();
        }
    }

    /**
     * ~27 MB of filler. The broker measures the rate over ~10 s windows, so a burst of up to 10x the quota passes at
     * first: at 3 MB/s the whole topic sometimes did (readiness never seen loading); at 1 MB/s ~15 s of loading.
     */
    private static final double STORE_BYTES_PER_SECOND = 1_000_000;

    /**
     * Sets (or, with null, removes) the default fetch byte-rate quota of every client id (only import-app is busy
     * while it restarts; a default entity needs no knowledge of the store consumer's client id).
     */
    private static void throttleTimeZonesStore(Double bytesPerSecond) throws Exception {
        var entity = new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null));
        try (Admin admin = Admin.create(clients.admin())) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity,
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", bytesPerSecond))))).all().get(10, TimeUnit.SECONDS);
        }
    }

    /** The stores readiness check reports each store as "loading: ..." or "loaded: ...". */
    private static boolean timeZonesLoading(Http.Response readiness) {
        for (var check : readiness.json().path("checks")) {
            if (check.path("data").path(Topics.REFERENCE_TIMEZONES.name()).asText("").startsWith("loading")) {
                return true;
            }
        }
        return false;
    }

    private static boolean importerGroupHasMembers() throws Exception {
        try (Admin admin = Admin.create(clients.admin())) {
            var group = admin.describeConsumerGroups(List.of("importer")).all().get(10, TimeUnit.SECONDS).get("importer");
            return group != null && !group.members().isEmpty();
        }
    }

    private static CountryTimeZones zones(String... zones) {
        return new CountryTimeZones(List.of(zones), zones[0]);
    }

    private static String newZealand(String name, String... zones) {
        return json(name, "NZD", zones);
    }

    private static String json(String name, String currency, String... zones) {
        return "{\"name\":\"" + name + "\",\"currency\":\"" + currency + "\",\"timeZones\":[\""
                + String.join("\",\"", zones) + "\"]}";
    }
}
