package dev.edapatterns.billing.timezones;

import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.GROUP;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.assertNoRepeatedValues;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.awaitConsumed;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.country;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.delete;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.history;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.poison;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.put;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.send;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.zones;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The deriver against the real broker: what it emits, what it does not, and the read API. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class TimeZoneDeriverTest {

    @Inject
    TimeZoneDeriver deriver;

    @Test
    void emitsOnlyWhenTheZonesChange() {
        put(country("FR", "Europe/Paris"));
        awaitHistory("FR", zones("Europe/Paris"));

        put(new Country("FR", "France", "EUR", List.of("Europe/Paris", "America/Cayenne", "Indian/Reunion")));
        awaitHistory("FR", zones("Europe/Paris"), zones("Europe/Paris", "America/Cayenne", "Indian/Reunion"));

        // name and currency change, the same zones again, a duplicate zone and stray blanks: all derive the same value
        put(new Country("FR", "République française", "XPF", List.of("Europe/Paris", "America/Cayenne", "Indian/Reunion")));
        put(new Country("FR", "France", "EUR", List.of("Europe/Paris", "America/Cayenne", "Indian/Reunion")));
        RecordMetadata last = put(new Country("FR", "France", "EUR",
                List.of(" Europe/Paris", "America/Cayenne", "Europe/Paris", "Indian/Reunion ")));
        awaitConsumed(GROUP, last);
        assertEquals(List.of(zones("Europe/Paris"), zones("Europe/Paris", "America/Cayenne", "Indian/Reunion")), history("FR"));

        // the primary zone is the first one: a new order is a real change
        put(new Country("FR", "France", "EUR", List.of("America/Cayenne", "Europe/Paris", "Indian/Reunion")));
        awaitHistory("FR", zones("Europe/Paris"), zones("Europe/Paris", "America/Cayenne", "Indian/Reunion"),
                zones("America/Cayenne", "Europe/Paris", "Indian/Reunion"));
        assertNoRepeatedValues(Topics.REFERENCE_TIMEZONES);
    }

    @Test
    void manyChangesOfOneCountryInQuickSuccessionEndOnTheLastValue() {
        // written back to back, these land in one or a few batches: per batch only the key's last value counts, and a
        // value equal to the one before is never written, whatever the batch boundaries
        String[][] sequence = { { "Europe/Berlin" }, { "Europe/Berlin" }, { "Europe/Busingen" }, { "Europe/Berlin" },
                { "Europe/Berlin", "Europe/Busingen" }, { "Europe/Berlin", "Europe/Busingen" } };
        RecordMetadata last = null;
        for (String[] zones : sequence) {
            last = put(country("DE", zones));
        }
        awaitConsumed(GROUP, last);
        List<CountryTimeZones> history = history("DE");
        assertEquals(zones("Europe/Berlin", "Europe/Busingen"), history.get(history.size() - 1));
        assertNoRepeatedValues(Topics.REFERENCE_TIMEZONES);
        given().get("/timezones/DE").then().statusCode(200).body("zones", equalTo(List.of("Europe/Berlin", "Europe/Busingen")));
    }

    @Test
    void aDeletedCountryLeavesATombstoneOnlyWhereAValueExisted() {
        put(country("AT", "Europe/Vienna"));
        awaitHistory("AT", zones("Europe/Vienna"));

        delete("AT");
        awaitHistory("AT", zones("Europe/Vienna"), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/timezones/AT").statusCode() == 404);

        // deleted again, and a country that never had a value: no tombstone
        RecordMetadata again = delete("AT");
        RecordMetadata never = delete("VA");
        awaitConsumed(GROUP, again);
        awaitConsumed(GROUP, never);
        assertEquals(Arrays.asList(zones("Europe/Vienna"), null), history("AT"));
        assertEquals(List.of(), history("VA"));
    }

    @Test
    void invalidZonesDeriveNoValueAndRemoveTheOneThatExisted() {
        put(country("JP", "Asia/Tokyo"));
        awaitHistory("JP", zones("Asia/Tokyo"));

        put(country("JP", "Asia/Tokio")); // a typo: the whole list is invalid
        awaitHistory("JP", zones("Asia/Tokyo"), null);

        long invalidBefore = deriver.stats().invalid();
        awaitConsumed(GROUP, put(country("JP", "Asia/Tokio", "Asia/Tokyo"))); // still no value, and no second tombstone
        // codes the tz data has no zone for (Bouvet Island, Heard Island): no value either
        RecordMetadata none = put(new Country("BV", "Bouvet Island", "NOK", null));
        awaitConsumed(GROUP, none);
        awaitConsumed(GROUP, put(new Country("HM", "Heard Island and McDonald Islands", "AUD", List.of())));
        assertEquals(Arrays.asList(zones("Asia/Tokyo"), null), history("JP"));
        assertEquals(List.of(), history("BV"));
        assertEquals(List.of(), history("HM"));
        assertTrue(deriver.stats().invalid() >= invalidBefore + 3, "each invalid country is counted (and logged)");

        put(country("JP", "Asia/Tokyo"));
        awaitHistory("JP", zones("Asia/Tokyo"), null, zones("Asia/Tokyo"));
    }

    @Test
    void aCountryWithoutZonesGetsTheTzDataDerivationAndAnOverrideReplacesIt() {
        String version = deriver.tzVersion();
        put(new Country("SS", "South Sudan", "SSP", null));
        awaitHistory("SS", new CountryTimeZones(List.of("Africa/Juba"), "Africa/Juba", version));
        given().get("/timezones/SS").then().statusCode(200)
                .body("primaryZone", equalTo("Africa/Juba"))
                .body("primaryOffset", equalTo("+02:00"))
                .body("tzVersion", equalTo(version));

        // the admin's explicit zones (no tz data version), then back to the derivation
        put(country("SS", "Africa/Juba"));
        put(new Country("SS", "South Sudan", "SSP", List.of()));
        awaitHistory("SS", new CountryTimeZones(List.of("Africa/Juba"), "Africa/Juba", version), zones("Africa/Juba"),
                new CountryTimeZones(List.of("Africa/Juba"), "Africa/Juba", version));
        given().get("/timezones").then().body("find { it.code == 'SS' }.tzVersion", equalTo(version));
        assertNoRepeatedValues(Topics.REFERENCE_TIMEZONES);
    }

    /**
     * What a binary with other tz data finds on the topic: values an older release derived are re-derived (written only
     * where the zones changed), a value a newer release derived is never replaced — neither by the re-derivation nor
     * when its country changes.
     */
    @Test
    void reDerivationReplacesOlderTzDataWhereTheZonesChangedAndNeverNewer() {
        String older = "2000a/2000a";
        String newer = "9999a/9999a";
        for (String code : List.of("KE", "UG", "TZ")) {
            awaitConsumed(GROUP, put(new Country(code, "Country " + code, "KES", null)));
        }
        // as an older and a newer binary would have left them (the deriver's topic, each key on its country's partition)
        send(Topics.REFERENCE_TIMEZONES, "KE", new CountryTimeZones(List.of("Africa/Addis_Ababa"), "Africa/Addis_Ababa", older));
        send(Topics.REFERENCE_TIMEZONES, "UG", new CountryTimeZones(List.of("Africa/Kampala"), "Africa/Kampala", older));
        send(Topics.REFERENCE_TIMEZONES, "TZ", new CountryTimeZones(List.of("Africa/Nairobi"), "Africa/Nairobi", newer));
        await().atMost(Duration.ofSeconds(15)).until(() -> Objects.equals(older, given().get("/timezones/KE").path("tzVersion"))
                && Objects.equals(older, given().get("/timezones/UG").path("tzVersion"))
                && Objects.equals(newer, given().get("/timezones/TZ").path("tzVersion")));
        long before = deriver.stats().rederived();

        deriver.rederive().await().atMost(Duration.ofSeconds(30)); // as after the start of a binary with this tz data
        CountryTimeZones kenya = new CountryTimeZones(List.of("Africa/Nairobi"), "Africa/Nairobi", deriver.tzVersion());
        assertEquals(kenya, history("KE").get(history("KE").size() - 1), "older and different: re-derived");
        assertEquals(new CountryTimeZones(List.of("Africa/Kampala"), "Africa/Kampala", older),
                history("UG").get(history("UG").size() - 1), "older but the same zones: not written");
        assertEquals(new CountryTimeZones(List.of("Africa/Nairobi"), "Africa/Nairobi", newer),
                history("TZ").get(history("TZ").size() - 1), "newer: kept");
        assertEquals(before + 1, deriver.stats().rederived());

        // a country change in this (older) binary does not replace the newer release's value either
        awaitConsumed(GROUP, put(new Country("TZ", "Tanzania", "TZS", null)));
        assertEquals(new CountryTimeZones(List.of("Africa/Nairobi"), "Africa/Nairobi", newer),
                history("TZ").get(history("TZ").size() - 1));
        assertEquals(0, deriver.rederive().await().atMost(Duration.ofSeconds(30)), "a second pass finds nothing to do");
    }

    @Test
    void aPoisonRecordIsSkippedAndTheNextCountryOfItsPartitionDerived() {
        long unreadableBefore = deriver.stats().unreadable();
        RecordMetadata bad = poison("IT");
        // same key, so the same partition: a stalled partition would never derive it
        put(country("IT", "Europe/Rome"));
        awaitHistory("IT", zones("Europe/Rome"));
        awaitConsumed(GROUP, bad);

        // a poison record later is no delete either
        awaitConsumed(GROUP, poison("IT"));
        assertEquals(List.of(zones("Europe/Rome")), history("IT"));
        assertTrue(deriver.stats().unreadable() >= unreadableBefore + 2, "each poison record is counted (and logged)");
        given().get("/timezones/IT").then().statusCode(200).body("primaryZone", equalTo("Europe/Rome"));
    }

    @Test
    void theApiReadsTheStoreAndComputesTheOffsetNow() {
        put(country("KR", "Asia/Seoul"));
        put(country("IN", "Asia/Kolkata"));
        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/timezones/IN").statusCode() == 200
                && given().get("/timezones/KR").statusCode() == 200);

        // zones without DST, so the expected offsets hold whenever the test runs
        given().get("/timezones/kr").then().statusCode(200)
                .body("code", equalTo("KR"))
                .body("zones", equalTo(List.of("Asia/Seoul")))
                .body("primaryZone", equalTo("Asia/Seoul"))
                .body("primaryOffset", equalTo("+09:00"));
        given().get("/timezones/IN").then().statusCode(200).body("primaryOffset", equalTo("+05:30"));
        given().get("/timezones").then().statusCode(200)
                .body("code", hasItems("IN", "KR"))
                .body("find { it.code == 'IN' }.zones", equalTo(List.of("Asia/Kolkata")));
        List<String> codes = given().get("/timezones").then().extract().jsonPath().getList("code", String.class);
        assertEquals(codes.stream().sorted().toList(), codes);

        given().get("/timezones/ZZ").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void readyWithTheStoreLoadedAndTheDeriverRunning() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'time zones deriver' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'time zones deriver' }.data.state", equalTo("running"))
                .body("checks.find { it.name == 'event-kit stores' }.status", equalTo("UP"));
    }

    private static void awaitHistory(String code, CountryTimeZones... expected) {
        List<CountryTimeZones> want = Arrays.asList(expected);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> history(code).size() >= want.size());
        assertEquals(want, history(code));
    }
}
