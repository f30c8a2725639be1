package dev.edapatterns.order.checkout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

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

    @Test
    void aProcessWithoutTheCheckoutRoleChecksNothingOut() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
        String order = UUID.randomUUID().toString();
        given().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerId", "c1", "currency", "EUR", "shippingCountry", "FR",
                        "items", List.of(Map.of("sku", "s1", "qty", 1, "unitPrice", "1"))))
                .post("/orders/" + order + "/payments").then().statusCode(202);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> CheckoutTest.checkoutsOf(order).isEmpty());
    }
}
