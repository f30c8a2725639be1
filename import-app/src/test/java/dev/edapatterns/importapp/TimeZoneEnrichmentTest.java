package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.importapp.reference.CountryZones;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Pattern 3 in import-app: contacts get their country's primary zone from the live reference.timezones store. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class TimeZoneEnrichmentTest {

    @Inject
    CountryZones zones;

    @Test
    void contactsGetTheirCountrysPrimaryZoneAndFollowChanges() throws Exception {
        String p = "tz" + System.nanoTime();
        publish("NZ", new CountryTimeZones(List.of("Pacific/Auckland", "Pacific/Chatham"), "Pacific/Auckland"));
        await().atMost(Duration.ofSeconds(10)).until(() -> zones.primaryZone("NZ").equals(Optional.of("Pacific/Auckland")));

        // known (any case), unknown and missing countries: all imported, the last two without a zone and counted
        JsonPath done = importCsv("email,name,country\n" + p + "a@x.io,A,NZ\n" + p + "b@x.io,B, nz \n" + p + "c@x.io,C,ZZ\n"
                + p + "d@x.io,D,\n");
        assertEquals("COMPLETED", done.getString("state"));
        assertEquals(4, done.getLong("rowsImported"));
        assertEquals(2, done.getLong("warnings"), "unknown and missing countries are warnings");
        assertEquals("Pacific/Auckland", zoneOf(p + "a@x.io"));
        assertEquals("Pacific/Auckland", zoneOf(p + "b@x.io"));
        assertNull(zoneOf(p + "c@x.io"));
        assertNull(zoneOf(p + "d@x.io"));

        // a change of the derived topic reaches the next import within seconds, without a restart
        publish("NZ", new CountryTimeZones(List.of("Pacific/Chatham", "Pacific/Auckland"), "Pacific/Chatham"));
        await().atMost(Duration.ofSeconds(10)).until(() -> zones.primaryZone("NZ").equals(Optional.of("Pacific/Chatham")));
        JsonPath changed = importCsv("email,country\n" + p + "e@x.io,NZ\n");
        assertEquals(0, changed.getLong("warnings"));
        assertEquals("Pacific/Chatham", zoneOf(p + "e@x.io"));

        // a delete (tombstone) too: the country is unknown again
        publish("NZ", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> zones.primaryZone("NZ").isEmpty());
        JsonPath deleted = importCsv("email,country\n" + p + "f@x.io,NZ\n");
        assertEquals(1, deleted.getLong("warnings"));
        assertNull(zoneOf(p + "f@x.io"));
    }

    private static JsonPath importCsv(String csv) {
        String importId = asImporter().contentType("text/csv").body(csv).post("/imports")
                .then().statusCode(202).extract().path("importId");
        return awaitFinished(importId);
    }

    private static String zoneOf(String email) {
        return ContactRecords.awaitContact(email).timeZone();
    }

    private static void publish(String code, CountryTimeZones value) throws Exception {
        var topic = Topics.REFERENCE_TIMEZONES;
        try (var producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()), topic.keySerializer(),
                topic.valueSerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), code, value)).get(10, TimeUnit.SECONDS);
        }
    }
}
