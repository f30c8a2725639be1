package dev.edapatterns.order;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Every operation of order-app's resources in /q/openapi carries examples for each parameter and request body, and
 * sending them as the right user, writes first, then reads, then deletes, succeeds: what an access-matrix test
 * generated from the document needs.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class OpenApiExamplesTest {

    /** Who may send each protected operation (user:password); the others are public. */
    private static final Map<String, String> RIGHT_USER = Map.of(
            "POST /orders/{orderId}/payments", "alice@example.com:alice",
            "GET /invoices/{orderId}", "alice@example.com:alice",
            "GET /deliveries/{orderId}", "alice@example.com:alice",
            "PUT /countries/{code}", "admin:admin",
            "DELETE /countries/{code}", "admin:admin",
            "PUT /inventory/{sku}", "admin:admin");
    /** Writes create what reads and deletes need (the payment's country, the invoice of the paid order). */
    private static final Map<String, Integer> PHASE = Map.of("POST", 0, "PUT", 0, "GET", 1, "DELETE", 2);
    private static final List<String> OWN_PATHS = List.of("/countries", "/inventory", "/orders", "/invoices", "/deliveries");

    private record Operation(String method, String path, JsonNode spec) {
        String name() {
            return method + " " + path;
        }
    }

    private static List<Operation> operations() throws Exception {
        JsonNode doc = Json.mapper().readTree(given().get("/q/openapi?format=json").asString());
        List<Operation> ops = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (PHASE.containsKey(op.getKey().toUpperCase()) && OWN_PATHS.stream().anyMatch(path.getKey()::startsWith)) {
                ops.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue()));
            }
        }));
        ops.sort(Comparator.comparing((Operation o) -> PHASE.get(o.method())).thenComparing(Operation::path));
        return ops;
    }

    @Test
    void theExamplesOfEveryOperationSucceedInOrderForTheRightUser() throws Exception {
        List<Operation> ops = operations();
        assertTrue(ops.stream().map(Operation::name).toList().containsAll(RIGHT_USER.keySet()), ops.toString());
        for (Operation op : ops) {
            RequestSpecification request = request(op);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                int status = request.request(op.method(), exampleUrl(op)).statusCode();
                assertEquals(2, status / 100, op.name() + " answered " + status);
            });
        }
    }

    private static RequestSpecification request(Operation op) {
        RequestSpecification request = given();
        String user = RIGHT_USER.get(op.name());
        if (user != null) {
            request = request.auth().preemptive().basic(user.substring(0, user.indexOf(':')), user.substring(user.indexOf(':') + 1));
        }
        for (JsonNode p : op.spec().path("parameters")) {
            JsonNode example = p.path("example");
            assertTrue(!example.isMissingNode(), op.name() + " parameter " + p.path("name").asText() + " has no example");
            if ("header".equals(p.path("in").asText())) {
                request = request.header(p.path("name").asText(), example.asText());
            }
        }
        JsonNode body = op.spec().path("requestBody").path("content");
        if (!body.isMissingNode()) {
            String mediaType = body.fieldNames().next();
            JsonNode example = body.path(mediaType).path("examples").path("example").path("value");
            assertTrue(!example.isMissingNode(), op.name() + " has no request body example");
            request = request.contentType(mediaType).body(example.isTextual() ? example.asText() : example.toString());
        }
        return request;
    }

    private static String exampleUrl(Operation op) {
        String url = op.path();
        for (JsonNode p : op.spec().path("parameters")) {
            if ("path".equals(p.path("in").asText())) {
                url = url.replace("{" + p.path("name").asText() + "}", p.path("example").asText());
            }
        }
        return url;
    }
}
