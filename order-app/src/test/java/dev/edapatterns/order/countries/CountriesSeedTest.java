package dev.edapatterns.order.countries;

import static dev.edapatterns.order.countries.CountriesTestSupport.anonymous;
import static dev.edapatterns.order.countries.CountriesTestSupport.assertNothingCommitted;
import static dev.edapatterns.order.countries.CountriesTestSupport.awaitStoreLoaded;
import static dev.edapatterns.order.countries.CountriesTestSupport.deleteIfPresent;
import static dev.edapatterns.order.countries.CountriesTestSupport.quietSnapshot;
import static dev.edapatterns.order.countries.CountriesTestSupport.rawRecords;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.CountriesSeeded;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import dev.edapatterns.order.countries.CountriesSeed.Outcome;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Reference data out of the box: the cluster's first start seeded every ISO 3166 country once, later starts (or a second
 * instance) write nothing, a deleted country stays deleted, and two seeders at once commit one seed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class CountriesSeedTest {

    private static final int ISO_COUNTRIES = Locale.getISOCountries().length;
    private static final String SEED_ID = "order-app-countries-seed";

    @BeforeEach
    void loaded() {
        awaitStoreLoaded();
    }

    @Test
    void theFirstStartSeededEveryIsoCountryOnce() {
        List<ConsumerRecord<String, CountriesSeeded>> markers = TopicRecords.readCommitted(Topics.REFERENCE_COUNTRIES_SEEDED);
        assertEquals(1, markers.size(), "one marker: " + markers);
        assertEquals(ISO_COUNTRIES, markers.get(0).value().countries());
        assertTrue(ISO_COUNTRIES >= 249, ISO_COUNTRIES + " ISO countries in this JDK");
        // codes no test writes: exactly the seed's record
        for (String code : List.of("AQ", "ZW", "JP")) {
            assertEquals(1, rawRecords().stream().filter(r -> code.equals(r.key())).count(), code);
        }
        anonymous().get("/countries/AQ").then().statusCode(200)
                .body("name", equalTo("Antarctica")).body("currency", nullValue()).body("timeZones", nullValue());
        anonymous().get("/countries/JP").then().statusCode(200).body("name", equalTo("Japan")).body("currency", equalTo("JPY"));
        assertTrue(anonymous().get("/countries").then().statusCode(200).extract().jsonPath().getList("code").size()
                >= ISO_COUNTRIES - 10, "about every country is listed (tests delete a few)");
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'countries seed' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'countries seed' }.data.state", oneOf("seeded", "already_seeded"));
    }

    @Test
    void laterStartsWriteNothingAndADeletedCountryStaysDeleted() throws Exception {
        deleteIfPresent("VA");
        CommittedRecords snapshot = quietSnapshot();

        // a restart, and two more instances starting together: each runs the seed step with the cluster's one id
        CountriesSeed restart = seed(Topics.REFERENCE_COUNTRIES.name(), Topics.REFERENCE_COUNTRIES_SEEDED.name(), SEED_ID);
        assertEquals(Outcome.ALREADY_SEEDED, restart.run(CountriesSeed.isoCountries()).outcome());
        List<Outcome> together = together(restart, restart);
        assertTrue(together.stream().allMatch(o -> o == Outcome.ALREADY_SEEDED || o == Outcome.FENCED), together.toString());

        assertNothingCommitted(snapshot);
        anonymous().get("/countries/VA").then().statusCode(404);
    }

    /** A seeder caught mid-transaction by a second one: the second fences it and commits the only seed. */
    @Test
    void aSecondInstanceFencesAFirstOneMidSeedAndOnlyOneSeedCommits() throws Exception {
        String countries = "test.seed.countries-" + UUID.randomUUID();
        String marker = "test.seed.marker-" + UUID.randomUUID();
        String id = "test-seed-" + UUID.randomUUID();
        createTopics(countries, marker);

        // the first instance: its transaction is open, half of the countries sent, not committed yet
        try (KafkaProducer<String, Object> first = new KafkaProducer<>(TestKafka.clients().producer(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id)), new StringSerializer(), new EventSerializer<>())) {
            first.initTransactions();
            first.beginTransaction();
            for (Country c : CountriesSeed.isoCountries().subList(0, 100)) {
                first.send(new ProducerRecord<>(countries, c.code(), c)).get(30, TimeUnit.SECONDS);
            }

            CountriesSeed.Result second = seed(countries, marker, id).run(CountriesSeed.isoCountries());
            assertEquals(new CountriesSeed.Result(Outcome.SEEDED, ISO_COUNTRIES), second);
            assertThrows(KafkaException.class, first::commitTransaction, "the first one was fenced");
        }

        List<ConsumerRecord<String, byte[]>> seeded = TopicRecords.raw(countries, "read_committed");
        assertEquals(ISO_COUNTRIES, seeded.size(), "the aborted half is not there");
        assertEquals(ISO_COUNTRIES, seeded.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).size());
        assertEquals(1, TopicRecords.raw(marker, "read_committed").size());
        assertEquals(Set.of(Outcome.ALREADY_SEEDED), Set.copyOf(together(seed(countries, marker, id), seed(countries, marker, id))));
        assertEquals(ISO_COUNTRIES, TopicRecords.raw(countries, "read_committed").size());
    }

    /** A cluster from before seeding existed: its countries (and deletions) are kept, only the marker is written. */
    @Test
    void aTopicThatAlreadyHoldsCountriesIsAdoptedNotSeeded() throws Exception {
        String countries = "test.seed.countries-" + UUID.randomUUID();
        String marker = "test.seed.marker-" + UUID.randomUUID();
        createTopics(countries, marker);
        try (KafkaProducer<String, Object> before = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new EventSerializer<>())) {
            before.send(new ProducerRecord<>(countries, "FR", new Country("FR", "France", "EUR", null))).get(30, TimeUnit.SECONDS);
            before.send(new ProducerRecord<>(countries, "FR", null)).get(30, TimeUnit.SECONDS); // deleted by an admin
        }

        assertEquals(new CountriesSeed.Result(Outcome.ADOPTED, 0), seed(countries, marker, "test-seed-" + UUID.randomUUID())
                .run(CountriesSeed.isoCountries()));
        assertEquals(2, TopicRecords.raw(countries, "read_committed").size());
        assertEquals(0, TopicRecords.readCommitted(markerTopic(marker)).get(0).value().countries());
    }

    private static CountriesSeed seed(String countries, String marker, String id) {
        return new CountriesSeed(TestKafka.clients(), countries, marker, id);
    }

    private static dev.edapatterns.contracts.Topic<String, CountriesSeeded> markerTopic(String name) {
        return dev.edapatterns.contracts.Topic.builder(name, CountriesSeeded.class).compacted().build();
    }

    /** Runs both seeders at the same moment, each with its own producer; their outcomes. */
    private static List<Outcome> together(CountriesSeed a, CountriesSeed b) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var x = pool.submit(() -> {
                start.await();
                return a.run(CountriesSeed.isoCountries()).outcome();
            });
            var y = pool.submit(() -> {
                start.await();
                return b.run(CountriesSeed.isoCountries()).outcome();
            });
            start.countDown();
            // both answer within seconds, the fenced one too (it must not wait out a request timeout while closing)
            return List.of(x.get(10, TimeUnit.SECONDS), y.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void createTopics(String countries, String marker) throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(
                    new NewTopic(countries, Topics.REFERENCE_COUNTRIES.partitions(), (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(marker, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }
}
