package dev.edapatterns.order.countries;

import static dev.edapatterns.order.countries.CountriesTestSupport.TOPIC;
import static dev.edapatterns.order.countries.CountriesTestSupport.admin;
import static dev.edapatterns.order.countries.CountriesTestSupport.anonymous;
import static dev.edapatterns.order.countries.CountriesTestSupport.assertNothingCommitted;
import static dev.edapatterns.order.countries.CountriesTestSupport.awaitStoreLoaded;
import static dev.edapatterns.order.countries.CountriesTestSupport.body;
import static dev.edapatterns.order.countries.CountriesTestSupport.clerk;
import static dev.edapatterns.order.countries.CountriesTestSupport.problem;
import static dev.edapatterns.order.countries.CountriesTestSupport.put;
import static dev.edapatterns.order.countries.CountriesTestSupport.quietSnapshot;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Writes need role reference-admin: anonymous or bad credentials 401, another role 403, nothing produced. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class CountriesSecurityTest {

    private static final Map<String, Object> ITALY = body("Italy", "EUR", "Europe/Rome");

    @BeforeEach
    void loaded() {
        awaitStoreLoaded();
    }

    private static void challenged(ValidatableResponse response) {
        // the scheme is case-insensitive (RFC 9110); Quarkus writes it lower case
        problem(response, 401).header("WWW-Authenticate", equalToIgnoringCase("Basic realm=\"order-app\""));
    }

    @Test
    void writesNeedTheAdminRoleAndRefusalsProduceNothing() {
        put(admin(), "IT", ITALY).statusCode(oneOf(200, 201));
        CommittedRecords snapshot = quietSnapshot();

        challenged(put(anonymous(), "IT", ITALY));
        challenged(put(anonymous(), "IT", "{not json")); // authorization comes before the body is read
        challenged(anonymous().delete("/countries/IT").then());
        challenged(put(given().auth().preemptive().basic("admin", "wrong"), "IT", ITALY));
        challenged(given().auth().preemptive().basic("nobody", "admin").delete("/countries/IT").then());

        problem(put(clerk(), "IT", ITALY), 403).header("WWW-Authenticate", nullValue());
        problem(put(clerk(), "IT", body(null, null)), 403); // an invalid body from a clerk is still a 403
        problem(clerk().delete("/countries/IT").then(), 403);

        assertNothingCommitted(snapshot);

        // reads are public, even with a bad Authorization header (authentication is not proactive)
        anonymous().get("/countries/IT").then().statusCode(200).body("name", equalTo("Italy"));
        given().auth().preemptive().basic("admin", "wrong").get("/countries").then().statusCode(200);
        clerk().get("/countries/IT").then().statusCode(200);

        // a client that waits for the challenge (no preemptive credentials) gets through as admin
        given().auth().basic("admin", "admin").delete("/countries/IT").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> snapshot.newRecords(TOPIC) >= 1);
    }
}
