package dev.edapatterns.order;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /q/health/ready, /q/metrics and /q/openapi of order-app, without credentials (probes, Prometheus); checkout
 * transaction metrics after a real checkout: CheckoutTest.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ObservabilityTest {

    @Test
    void readinessCoversKafkaTheChannelsAndTheStores() {
        String ready = Management.given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(Observability.checks(ready).containsAll(Observability.APP_READINESS), ready);
    }

    @Test
    void storeMetricsArePublic() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1, Observability.value(metrics, "eventkit_store_loaded", "store", Topics.REFERENCE_COUNTRIES.name()));
        assertEquals(1, Observability.value(metrics, "eventkit_store_loaded", "store", Topics.ORDERS_INVENTORY_STORE.name()));
        assertTrue(Observability.value(metrics, "eventkit_atomic_partitions", "store", "inventory") >= 0);
    }

    @Test
    void everyEndpointDocumentsItsProblemResponses() {
        Map<String, Set<String>> ops = Observability.operations(Management.given().get("/q/openapi?format=json").asString());
        assertTrue(ops.get("POST /orders/{orderId}/payments").containsAll(Set.of("202", "400", "401", "403", "409", "413",
                "415", "503")), ops.toString());
        assertTrue(ops.get("PUT /countries/{code}").containsAll(Set.of("200", "201", "400", "401", "403", "415")));
        assertTrue(ops.get("DELETE /countries/{code}").containsAll(Set.of("204", "401", "403", "404")));
        assertTrue(ops.get("PUT /inventory/{sku}").containsAll(Set.of("200", "202", "400", "401", "403")));
        for (String read : Set.of("GET /countries/{code}", "GET /inventory/{sku}", "GET /deliveries/{orderId}",
                "GET /invoices/{orderId}")) {
            assertTrue(ops.get(read).containsAll(Set.of("200", "404", "503")), read + " " + ops.get(read));
        }
        for (String owned : Set.of("GET /deliveries/{orderId}", "GET /invoices/{orderId}")) {
            assertTrue(ops.get(owned).containsAll(Set.of("401", "403")), owned + " " + ops.get(owned));
        }
    }
}
