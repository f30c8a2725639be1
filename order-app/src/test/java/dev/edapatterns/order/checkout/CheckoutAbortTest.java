package dev.edapatterns.order.checkout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Teeth: with the test-only {@code order.checkout.fail-before-commit} every checkout transaction fails after its
 * records were sent. A {@code read_uncommitted} reader sees those records (the checkout and the views' commands); a
 * {@code read_committed} one never does, and the views (deliveries, inventory, invoices) never count them.
 */
@QuarkusTest
@TestProfile(CheckoutAbortTest.FailBeforeCommit.class)
@WithTestResource(KafkaBrokerTestResource.class)
class CheckoutAbortTest {

    public static class FailBeforeCommit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("order.checkout.fail-before-commit", "true");
        }
    }

    @Test
    void anAbortedCheckoutIsOnTheLogButNeverCommitted() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
        String order = UUID.randomUUID().toString();
        String sku = "abort-" + order.substring(0, 8);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body(Map.of("stock", 5))
                .put("/inventory/" + sku).then().statusCode(200);
        given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerId", "c1", "currency", "EUR", "shippingCountry", "FR",
                        "items", List.of(Map.of("sku", sku, "qty", 1, "unitPrice", "1"))))
                .post("/orders/" + order + "/payments").then().statusCode(202);
        String topic = Topics.ORDERS_CHECKOUT_COMPLETED.name();
        await().atMost(Duration.ofSeconds(40)).until(() -> RawRecords.read(topic, "read_uncommitted").stream()
                .anyMatch(r -> order.equals(r.key())));
        assertEquals(0, RawRecords.read(topic, "read_committed").stream().filter(r -> order.equals(r.key())).count());
        assertEquals(0, CheckoutTest.checkoutsOf(order).size());
        // the views never saw the aborted checkouts, so they sent no commands for the order (not even uncommitted)
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                given().get("/deliveries/" + order).statusCode() == 404
                        && given().get("/invoices/" + order).statusCode() == 404
                        && given().get("/inventory/" + sku).jsonPath().getLong("stock") == 5);
        assertEquals(1, RawRecords.read(Topics.ORDERS_INVENTORY_COMMANDS.name(), "read_uncommitted").stream()
                .filter(r -> sku.equals(r.key())).count(), "only the SET_STOCK command");
    }
}
