package dev.edapatterns.billing;

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
 * /q/health/ready, /q/metrics and /q/openapi of billing-app, all without credentials (probes, Prometheus); renewal
 * metrics after real renewals: RenewalFlowTest.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ObservabilityTest {

    @Test
    void readinessCoversKafkaTheChannelsTheStoresAndTheLedgerConsumer() {
        String ready = Management.given().get("/q/health/ready").then().statusCode(200).extract().asString();
        Set<String> checks = Observability.checks(ready);
        assertTrue(checks.containsAll(Observability.APP_READINESS), ready);
        assertTrue(checks.containsAll(Set.of("ledger consumer", "time zones deriver")), ready);
    }

    @Test
    void storeAndLedgerMetricsArePublic() {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1, Observability.value(metrics, "eventkit_store_loaded", "store", Topics.BILLING_SUBSCRIPTIONS.name()));
        assertEquals(0, Observability.value(metrics, "eventkit_store_lag", "store", Topics.BILLING_SUBSCRIPTIONS.name()));
        assertTrue(Observability.value(metrics, "eventkit_ordered_blocked_keys", "processor", "ledger") >= 0);
        Observability.value(metrics, "eventkit_atomic_transactions_total", "store", "charge-claims", "outcome", "aborted");
    }

    @Test
    void everyEndpointDocumentsItsProblemResponses() {
        Map<String, Set<String>> ops = Observability.operations(Management.given().get("/q/openapi?format=json").asString());
        assertTrue(ops.get("POST /subscriptions").containsAll(Set.of("201", "400", "401", "403", "415", "503")), ops.toString());
        assertEquals(Set.of("200", "400", "401", "403", "404", "503"), ops.get("GET /subscriptions/{userId}"));
        assertEquals(Set.of("200", "400", "401", "403", "404", "503"), ops.get("GET /ledger/{userId}"));
        assertEquals(Set.of("200", "400", "404", "503"), ops.get("GET /timezones/{code}"));
        ops.forEach((op, codes) -> {
            if (op.contains(" /admin")) {
                assertTrue(codes.containsAll(Set.of("401", "403")), op + " " + codes);
            }
        });
        assertTrue(ops.get("POST /admin/dlq/{partition}/{offset}/redrive").contains("404"), ops.toString());
        assertTrue(ops.get("POST /admin/blocked/{topic}/{partition}/{offset}/skip").containsAll(Set.of("400", "404", "503")));
    }
}
