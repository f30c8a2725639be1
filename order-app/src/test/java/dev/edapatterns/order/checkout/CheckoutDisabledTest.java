package dev.edapatterns.order.checkout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.ChannelRegistry;

/** {@code order.checkout.enabled=false}: payments still work, but this process checks nothing out. */
@QuarkusTest
@TestProfile(CheckoutDisabledTest.Disabled.class)
@WithTestResource(KafkaBrokerTestResource.class)
class CheckoutDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("order.checkout.enabled", "false");
        }
    }

    @Inject
    ChannelRegistry channels;

    @Test
    void aProcessWithoutTheCheckoutRoleChecksNothingOut() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
        String order = UUID.randomUUID().toString();
        given().auth().preemptive().basic("alice@example.com", "alice").contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerId", "alice@example.com", "currency", "EUR", "shippingCountry", "FR",
                        "items", List.of(Map.of("sku", "s1", "qty", 1, "unitPrice", new BigDecimal("1")))))
                .post("/orders/" + order + "/payments").then().statusCode(202);
        // its channel started paused and nothing resumed it: with late subscription it never joined order-checkout, so
        // the committed purchase stays unchecked-out for as long as this process is the only one running
        assertTrue(channels.getPausable(Checkout.CHANNEL).isPaused(), "the checkout channel is paused");
        assertTrue(TopicRecords.readCommitted(Topics.ORDERS_PURCHASE_COMPLETED).stream().anyMatch(r -> order.equals(r.key())),
                "the purchase was committed");
        assertTrue(CheckoutTest.checkoutsOf(order).isEmpty());
    }
}
