package dev.edapatterns.notify.progress;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Observability;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** /q/health/ready, /q/metrics and /q/openapi of notify-app (no auth needed: probes and Prometheus). */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ObservabilityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void readinessCoversKafkaTheFeedAndTheStores() {
        String ready = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertTrue(Observability.checks(ready).containsAll(Set.of("Kafka connection health check", "progress feed",
                "event-kit stores")), ready);
    }

    @Test
    void sessionGaugeAndFanOutLatencyFollowAConnectedClient() {
        double sent = metric("notify_fanout_latency_seconds_count");
        String channel = ProgressEvents.newChannelId();
        try (ProgressEvents progress = new ProgressEvents(); TestClient client = new TestClient(base, "/progress/" + channel)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> metric("notify_websocket_sessions") >= 1);
            progress.send(channel, "imp-metrics", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> client.events.size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> metric("notify_fanout_latency_seconds_count") >= sent + 1);
            assertTrue(metric("notify_fanout_latency_seconds_sum") > 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("notify_websocket_sessions") == 0);
    }

    @Test
    void openApiListsTheConfigEndpoint() {
        Map<String, Set<String>> operations = Observability.operations(given().get("/q/openapi?format=json").asString());
        assertEquals(Set.of("200", "401", "403"), operations.get("GET /config.json"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    private static double metric(String name) {
        return Observability.value(given().get("/q/metrics").then().statusCode(200).extract().asString(), name);
    }
}
