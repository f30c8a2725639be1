package dev.edapatterns.order.countries;

import static dev.edapatterns.order.countries.CountriesTestSupport.admin;
import static dev.edapatterns.order.countries.CountriesTestSupport.anonymous;
import static dev.edapatterns.order.countries.CountriesTestSupport.awaitStoreLoaded;
import static dev.edapatterns.order.countries.CountriesTestSupport.body;
import static dev.edapatterns.order.countries.CountriesTestSupport.deleteIfPresent;
import static dev.edapatterns.order.countries.CountriesTestSupport.lastRecordOf;
import static dev.edapatterns.order.countries.CountriesTestSupport.problem;
import static dev.edapatterns.order.countries.CountriesTestSupport.put;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.EventHeaders;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The countries flow against the real broker: every write is on the topic, and a read right after a write's
 * answer (no waiting) already shows it.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class CountriesFlowTest {

    @BeforeEach
    void loaded() {
        awaitStoreLoaded();
    }

    @Test
    void putCreatesThenUpdatesAndDeleteLeavesATombstone() {
        deleteIfPresent("PT");

        // lower-case codes are accepted and stored upper case
        put(admin(), "pt", Map.of("code", "pt", "name", "Portugal", "currency", "eur",
                "timeZones", List.of("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores")))
                .statusCode(201)
                .header("Location", endsWith("/countries/PT"))
                .body("code", equalTo("PT"))
                .body("currency", equalTo("EUR"))
                .body("timeZones", contains("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores"));
        // read-your-writes: no await between the answer and the read
        anonymous().get("/countries/PT").then().statusCode(200)
                .body("name", equalTo("Portugal"))
                .body("timeZones[0]", equalTo("Europe/Lisbon"));
        anonymous().get("/countries/pt").then().statusCode(200).body("code", equalTo("PT"));

        ConsumerRecord<String, byte[]> created = lastRecordOf("PT");
        Country onTopic = Topics.REFERENCE_COUNTRIES.valueDeserializer().deserialize(created.topic(), created.value());
        assertEquals(new Country("PT", "Portugal", "EUR", List.of("Europe/Lisbon", "Atlantic/Madeira", "Atlantic/Azores")),
                onTopic);
        assertNotNull(created.headers().lastHeader(EventHeaders.SCHEMA_VERSION), "schema-version header");

        // the same code again replaces the country: 200, and the next read sees the new value
        put(admin(), "PT", body("Portuguese Republic", "EUR", "Europe/Lisbon"))
                .statusCode(200)
                .header("Location", (String) null)
                .body("name", equalTo("Portuguese Republic"))
                .body("timeZones", contains("Europe/Lisbon"));
        anonymous().get("/countries/PT").then().statusCode(200)
                .body("name", equalTo("Portuguese Republic"))
                .body("timeZones", contains("Europe/Lisbon"));
        assertEquals("Portuguese Republic",
                Topics.REFERENCE_COUNTRIES.valueDeserializer().deserialize("t", lastRecordOf("PT").value()).name());

        admin().delete("/countries/pt").then().statusCode(204);
        ConsumerRecord<String, byte[]> tombstone = lastRecordOf("PT");
        assertNull(tombstone.value(), "a delete is a tombstone (null value) on " + tombstone.topic());
        problem(anonymous().get("/countries/PT").then(), 404);
        problem(admin().delete("/countries/PT").then(), 404);
        anonymous().get("/countries").then().statusCode(200).body("code", not(hasItem("PT")));
    }

    @Test
    void zonesAreOptional() {
        deleteIfPresent("SS");
        put(admin(), "SS", Map.of("name", "South Sudan", "currency", "SSP")).statusCode(201)
                .body("code", equalTo("SS"))
                .body("timeZones", nullValue());
        assertEquals(new Country("SS", "South Sudan", "SSP", null),
                Topics.REFERENCE_COUNTRIES.valueDeserializer().deserialize("t", lastRecordOf("SS").value()));
        // an empty list is the same: no override
        put(admin(), "SS", Map.of("name", "South Sudan", "currency", "SSP", "timeZones", List.of())).statusCode(200)
                .body("timeZones", nullValue());
    }

    @Test
    void listIsSortedByCode() {
        put(admin(), "SE", body("Sweden", "SEK", "Europe/Stockholm")).statusCode(oneOf(200, 201));
        put(admin(), "AT", body("Austria", "EUR", "Europe/Vienna")).statusCode(oneOf(200, 201));
        put(admin(), "NZ", body("New Zealand", "NZD", "Pacific/Auckland", "Pacific/Chatham"))
                .statusCode(oneOf(200, 201));

        List<String> codes = anonymous().get("/countries").then().statusCode(200).extract().jsonPath()
                .getList("code", String.class);
        List<String> sorted = new ArrayList<>(codes);
        sorted.sort(null);
        assertEquals(sorted, codes);
        assertEquals(List.of("AT", "NZ", "SE"), codes.stream().filter(List.of("AT", "NZ", "SE")::contains).toList());
        anonymous().get("/countries").then().body("find { it.code == 'NZ' }.timeZones", contains("Pacific/Auckland",
                "Pacific/Chatham"));
    }

    @Test
    void unknownCountryIs404() {
        problem(anonymous().get("/countries/ZZ").then(), 404).body("detail", equalTo("No country with code ZZ."));
        problem(anonymous().get("/countries/not-a-code").then(), 404);
    }
}
