package dev.edapatterns.order.countries;

import static dev.edapatterns.order.countries.CountriesTestSupport.TOPIC;
import static dev.edapatterns.order.countries.CountriesTestSupport.admin;
import static dev.edapatterns.order.countries.CountriesTestSupport.assertNothingCommitted;
import static dev.edapatterns.order.countries.CountriesTestSupport.awaitStoreLoaded;
import static dev.edapatterns.order.countries.CountriesTestSupport.body;
import static dev.edapatterns.order.countries.CountriesTestSupport.deleteIfPresent;
import static dev.edapatterns.order.countries.CountriesTestSupport.problem;
import static dev.edapatterns.order.countries.CountriesTestSupport.put;
import static dev.edapatterns.order.countries.CountriesTestSupport.quietSnapshot;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every invalid admin write: 400/415 problem+json naming the bad fields, and not one committed record. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class CountriesWriteFaultsTest {

    /** A bad request and the field(s) the answer must name. */
    private record Case(String why, String code, Object body, List<String> fields) {
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    @BeforeEach
    void loaded() {
        awaitStoreLoaded();
    }

    @Test
    void invalidWritesAre400AndProduceNothing() {
        Map<String, Object> ok = body("France", "EUR", "Europe/Paris", "America/Cayenne");
        List<Case> cases = List.of(
                new Case("not a country", "ZZ", ok, List.of("code")),
                new Case("alpha-3 code", "FRA", ok, List.of("code")),
                new Case("digits", "12", ok, List.of("code")),
                new Case("body code differs from the path", "FR", with(ok, "code", "DE"), List.of("code")),
                new Case("name missing", "FR", body(null, "EUR", "Europe/Paris"), List.of("name")),
                new Case("name blank", "FR", body("   ", "EUR", "Europe/Paris"), List.of("name")),
                new Case("name too long", "FR", body("F".repeat(101), "EUR", "Europe/Paris"), List.of("name")),
                new Case("currency missing", "FR", body("France", null, "Europe/Paris"), List.of("currency")),
                new Case("currency not ISO 4217", "FR", body("France", "EURO", "Europe/Paris"), List.of("currency")),
                new Case("currency unknown", "FR", body("France", "ABC", "Europe/Paris"), List.of("currency")),
                new Case("raw offset", "FR", body("France", "EUR", "+02:00"), List.of("timeZones[0]")),
                new Case("prefixed offset", "FR", body("France", "EUR", "Europe/Paris", "UTC+2"), List.of("timeZones[1]")),
                new Case("unknown region", "FR", body("France", "EUR", "Mars/Olympus_Mons"), List.of("timeZones[0]")),
                new Case("zone ids are case-sensitive", "FR", body("France", "EUR", "europe/paris"), List.of("timeZones[0]")),
                new Case("duplicate zone", "FR", body("France", "EUR", "Europe/Paris", "America/Cayenne", "Europe/Paris"),
                        List.of("timeZones[2]")),
                new Case("null zone", "FR", body("France", "EUR", "Europe/Paris", null), List.of("timeZones[1]")),
                new Case("every field bad at once", "zz", Map.of("name", "", "currency", "€", "timeZones", List.of("+01:00")),
                        List.of("code", "name", "currency", "timeZones[0]")));

        deleteIfPresent("BV"); // seeded on the first start
        CommittedRecords snapshot = quietSnapshot();
        for (Case c : cases) {
            problem(put(admin(), c.code(), c.body()), 400)
                    .body("errors", hasSize(c.fields().size()))
                    .body("errors.field", containsInAnyOrder(c.fields().toArray()))
                    .body("detail", containsString(c.fields().get(0) + ": "));
        }

        // malformed bodies: the JSON mapping answers before the validator runs
        problem(put(admin(), "FR", "{\"name\": \"France\", "), 400).body("detail", containsString("not valid JSON"));
        problem(put(admin(), "FR", "{\"name\": \"France\", \"currency\": \"EUR\", \"timeZones\": \"Europe/Paris\"}"), 400)
                .body("detail", containsString("'timeZones'"));
        problem(put(admin(), "FR", "[\"France\"]"), 400);
        problem(put(admin(), "FR", "null"), 400).body("detail", containsString("JSON object"));
        problem(admin().contentType("application/json").put("/countries/FR").then(), 400);
        // other content types
        problem(admin().contentType("text/plain").body("France;EUR;Europe/Paris").put("/countries/FR").then(), 415);
        problem(admin().contentType("application/xml").body("<country/>").put("/countries/FR").then(), 415);
        // deleting what does not exist
        problem(admin().delete("/countries/ZZ").then(), 404);
        problem(admin().delete("/countries/BV").then(), 404); // a real code, deleted above

        assertNothingCommitted(snapshot);

        // the same helper does see a valid write: the zero above is a real zero
        put(admin(), "FR", ok).statusCode(oneOf(200, 201));
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot.newRecords(TOPIC) >= 1);
    }
}
