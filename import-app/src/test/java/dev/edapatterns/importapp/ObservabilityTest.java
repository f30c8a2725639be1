package dev.edapatterns.importapp;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /q/health/ready and /q/openapi of import-app (metrics: ImportFlowTest, after an import), and the importer as the
 * broker sees it.
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
    void everyEndpointDocumentsItsProblemResponses() {
        Map<String, Set<String>> ops = Observability.operations(Management.given().get("/q/openapi?format=json").asString());
        assertTrue(ops.get("POST /imports").containsAll(Set.of("202", "400", "413", "415", "429")), ops.toString());
        assertTrue(ops.get("POST /imports").containsAll(Set.of("401", "403")), ops.toString());
        assertEquals(Set.of("200", "401", "403", "404"), ops.get("GET /imports/{importId}"));
        // the contacts' reads are order-app's read model; import-app only writes (a delete is a tombstone)
        assertEquals(Set.of("204", "400", "401", "403"), ops.get("DELETE /contacts/{email}"));
        assertTrue(!ops.containsKey("GET /contacts/{email}") && !ops.containsKey("GET /contacts"), ops.toString());
        // operator views are on the management port, not in the public API
        assertTrue(ops.keySet().stream().noneMatch(op -> op.contains("/ops/")), ops.toString());
    }

    @Test
    void operatorViewsAreOnTheManagementPortOnly() {
        Management.given().get("/ops/heap").then().statusCode(200).body("max", greaterThan(0L));
        Management.given().get("/ops/stores").then().statusCode(200).body("topic", hasItem("import.aggregate.store"));
        given().get("/ops/heap").then().statusCode(404);
        given().get("/ops/stores").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void theImporterIsToldApartFromOtherInstancesByItsClientId() throws Exception {
        String instance = "import-app-importer-" + ConfigProvider.getConfig().getValue("eventkit.instance-id", String.class);
        int workers = ConfigProvider.getConfig().getValue("import.importer.workers", Integer.class);
        List<String> expected = java.util.stream.IntStream.range(0, workers).mapToObj(w -> instance + "-" + w).toList();
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            // the importer's workers join once the time zones store is loaded; each is one member, named by its worker
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(expected,
                    admin.describeConsumerGroups(List.of("importer")).all().get(10, TimeUnit.SECONDS).get("importer")
                            .members().stream().map(MemberDescription::clientId).sorted().toList()));
        }
    }
}
