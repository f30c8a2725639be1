package dev.edapatterns.billing.subscriptions;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.asClerk;
import static dev.edapatterns.billing.BillingTestSupport.asCustomer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.BillingTestSupport;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The subscriptions API against the real broker: create, read, cancel; bad input commits nothing; a customer acts for
 * itself only, billing-admin for anyone, anonymous callers get 401, and a refusal commits nothing.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SubscriptionsResourceTest {

    private static final String ALICE = "alice@example.com";
    private static final String BOB = "bob@example.com";

    @Test
    void createReadCancel() {
        String user = BillingTestSupport.user("sub");
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", user, "plan", "pro", "price", 9.9, "currency", "EUR", "country", "FR", "cardToken", "tok_1",
                        "paidUntil", "2031-03-01"))
                .post("/subscriptions")
                .then().statusCode(201).header("Location", startsWith("http")).body("status", equalTo("ACTIVE"))
                .body("paidUntil", equalTo("2031-03-01"))
                .body("cardToken", nullValue()).body("cardLast4", nullValue()); // too short to show any of it

        // read-your-writes: the store shows it at once
        asAdmin().get("/subscriptions/" + user).then().statusCode(200).body("userId", equalTo(user)).body("plan", equalTo("pro"))
                .body("price", equalTo(9.9f)).body("cardToken", nullValue());

        asAdmin().delete("/subscriptions/" + user).then().statusCode(200).body("status", equalTo("CANCELLED"));
        asAdmin().get("/subscriptions/" + user).then().statusCode(200).body("status", equalTo("CANCELLED"));

        asAdmin().get("/subscriptions/nobody-here").then().statusCode(404).contentType("application/problem+json");
        asAdmin().delete("/subscriptions/nobody-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badInputIsA400ProblemAndCommitsNothing() {
        CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));

        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", "bad user!", "plan", "", "price", -1, "currency", "EURO", "country", "fr", "cardToken", ""))
                .post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.size()", equalTo(6))
                .body("errors.field", hasItem("currency"));
        asAdmin().contentType(ContentType.JSON).body("{\"userId\": \"u1\", \"price\": \"ten\"}").post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body("{not json").post("/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("userId", "u2", "plan", "pro", "price", 1.234, "currency", "EUR", "country", "FR", "cardToken", "t"))
                .post("/subscriptions").then().statusCode(400).body("errors.field", hasItem("price"));

        assertEquals(Map.of(), before.newRecords(), "a rejected request must commit nothing");
    }

    @Test
    void aCustomerActsForItselfOnly() {
        // no userId in the body: the subscription is the caller's own; the card shows as its last 4 characters only
        String token = "tok_alice_" + System.nanoTime() + "_4242";
        asCustomer(ALICE).contentType(ContentType.JSON).body(body(null, token)).post("/subscriptions")
                .then().statusCode(201).body("userId", equalTo(ALICE)).body("cardLast4", equalTo("4242"))
                .body(not(containsString(token)));
        asCustomer(ALICE).get("/subscriptions/" + ALICE).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("cardLast4", equalTo("4242")).body("cardToken", nullValue()).body(not(containsString(token)));
        asAdmin().get("/subscriptions/" + ALICE).then().statusCode(200).body("userId", equalTo(ALICE));

        CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        // another customer: 403 whether or not the subscription exists, and whatever the body
        for (RequestSpecification other : new RequestSpecification[] { asCustomer(BOB), asClerk() }) {
            other.contentType(ContentType.JSON).body(body(ALICE, "tok_mallory_00000000")).post("/subscriptions").then()
                    .statusCode(403).contentType("application/problem+json");
        }
        asCustomer(BOB).contentType(ContentType.JSON).body(body("nobody-" + System.nanoTime(), "tok_x")).post("/subscriptions")
                .then().statusCode(403);
        asCustomer(BOB).get("/subscriptions/" + ALICE).then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("This belongs to another user."));
        asCustomer(BOB).get("/subscriptions/nobody-here").then().statusCode(403);
        asCustomer(BOB).delete("/subscriptions/" + ALICE).then().statusCode(403);
        asCustomer(BOB).get("/ledger/" + ALICE).then().statusCode(403);
        asClerk().get("/subscriptions/" + ALICE).then().statusCode(403);
        asClerk().get("/ledger/" + ALICE).then().statusCode(403);
        // anonymous: 401 with a Basic challenge, even with an unreadable body
        given().contentType(ContentType.JSON).body(body(ALICE, token)).post("/subscriptions").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Basic"));
        given().contentType(ContentType.JSON).body("{not json").post("/subscriptions").then().statusCode(401);
        given().get("/subscriptions/" + ALICE).then().statusCode(401);
        given().delete("/subscriptions/" + ALICE).then().statusCode(401);
        given().get("/ledger/" + ALICE).then().statusCode(401);
        assertEquals(Map.of(), before.newRecords(), "a refused request must commit nothing");

        asCustomer(ALICE).get("/subscriptions/" + ALICE).then().statusCode(200).body("status", equalTo("ACTIVE"));
        // her own ledger: allowed (a 404 until she is charged; the access matrix may have charged her already)
        asCustomer(ALICE).get("/ledger/" + ALICE).then().statusCode(anyOf(equalTo(200), equalTo(404)));
        asCustomer(ALICE).delete("/subscriptions/" + ALICE).then().statusCode(200).body("status", equalTo("CANCELLED"))
                .body("cardLast4", equalTo("4242"));
    }

    private static Map<String, Object> body(String userId, String cardToken) {
        Map<String, Object> body = new HashMap<>(Map.of("plan", "pro", "price", 4.5, "currency", "EUR", "country", "FR",
                "cardToken", cardToken, "paidUntil", "2031-01-01"));
        if (userId != null) {
            body.put("userId", userId);
        }
        return body;
    }
}
