package dev.edapatterns.billing.subscriptions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.BillingTestSupport;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The subscriptions API against the real broker: create, read, cancel; bad input commits nothing. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SubscriptionsResourceTest {

    @Test
    void createReadCancel() {
        String user = BillingTestSupport.user("sub");
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "plan", "pro", "price", 9.9, "currency", "EUR", "country", "FR", "cardToken", "tok_1",
                        "paidUntil", "2031-03-01"))
                .post("/subscriptions")
                .then().statusCode(201).header("Location", startsWith("http")).body("status", equalTo("ACTIVE"))
                .body("paidUntil", equalTo("2031-03-01"));

        // read-your-writes: the store shows it at once
        given().get("/subscriptions/" + user).then().statusCode(200).body("userId", equalTo(user)).body("plan", equalTo("pro"))
                .body("price", equalTo(9.9f));

        given().delete("/subscriptions/" + user).then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().get("/subscriptions/" + user).then().statusCode(200).body("status", equalTo("CANCELLED"));

        given().get("/subscriptions/nobody-here").then().statusCode(404).contentType("application/problem+json");
        given().delete("/subscriptions/nobody-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badInputIsA400ProblemAndCommitsNothing() {
        CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));

        given().contentType(ContentType.JSON)
                .body(Map.of("userId", "bad user!", "plan", "", "price", -1, "currency", "EURO", "country", "fr", "cardToken", ""))
                .post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.size()", equalTo(6))
                .body("errors", hasItem(startsWith("currency")));
        given().contentType(ContentType.JSON).body("{\"userId\": \"u1\", \"price\": \"ten\"}").post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{not json").post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("userId", "u2", "plan", "pro", "price", 1.234, "currency", "EUR", "country", "FR", "cardToken", "t"))
                .post("/subscriptions").then().statusCode(400).body("errors", hasItem(startsWith("price")));

        assertEquals(Map.of(), before.newRecords(), "a rejected request must commit nothing");
    }
}
