package dev.edapatterns.notify.progress;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /q/health/ready, /q/metrics and /q/openapi of notify-app on its management port (no auth needed: probes and
 * Prometheus; not exposed outside the pod), and none of them on the API port.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ObservabilityTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void readinessCoversKafkaTheFeedAndTheStores() {
        String ready = Management.given().get("/q/health/ready").then().statusCode(200).extract().asString();
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
        Map<String, Set<String>> operations = Observability.operations(Management.given().get("/q/openapi?format=json").asString());
        assertEquals(Set.of("200", "401", "403"), operations.get("GET /config.json"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void managementStaysOffTheApiPort() {
        for (String path : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/" }) {
            given().get(path).then().statusCode(404);
        }
    }

    @Test
    void failedHandshakesCountUnderOneLabelWithoutTheChannelId() {
        String[] channels = { ProgressEvents.newChannelId(), ProgressEvents.newChannelId(), ProgressEvents.newChannelId() };
        for (String channel : channels) {
            given().header("Connection", "Upgrade").header("Upgrade", "websocket").get("/progress/" + channel);
        }
        String scrape = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String channel : channels) {
            assertFalse(scrape.contains(channel), "a channel id in the metrics");
        }
        assertTrue(Observability.samples(scrape).stream().anyMatch(s -> s.name().startsWith("http_server_requests")
                && "/progress/{channelId}".equals(s.labels().get("uri"))), "the handshakes counted under the pattern");
    }

    private static double metric(String name) {
        return Observability.value(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), name);
    }
}
