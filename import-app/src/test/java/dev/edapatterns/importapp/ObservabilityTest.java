package dev.edapatterns.importapp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Observability;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** /q/health/ready and /q/openapi of import-app (metrics: ImportFlowTest, after an import). */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ObservabilityTest {

    @Test
    void readinessCoversKafkaTheChannelsAndTheStores() {
        String ready = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(Observability.checks(ready).containsAll(Observability.APP_READINESS), ready);
    }

    @Test
    void everyEndpointDocumentsItsProblemResponses() {
        Map<String, Set<String>> ops = Observability.operations(given().get("/q/openapi?format=json").asString());
        assertTrue(ops.get("POST /imports").containsAll(Set.of("202", "400", "413", "415", "429")), ops.toString());
        assertEquals(Set.of("200", "404"), ops.get("GET /imports/{importId}"));
        assertEquals(Set.of("200", "404", "503"), ops.get("GET /contacts/{email}"));
        assertEquals(Set.of("204", "404", "503"), ops.get("DELETE /contacts/{email}"));
        assertEquals(Set.of("200", "400", "503"), ops.get("GET /contacts"));
        assertTrue(ops.containsKey("GET /ops/stores") && ops.containsKey("GET /ops/heap"), ops.toString());
    }
}
