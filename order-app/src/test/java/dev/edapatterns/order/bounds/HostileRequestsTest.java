package dev.edapatterns.order.bounds;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.order.Ids;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * What an attacker sends to order-app's inputs, each as a user allowed to make the request (so the refusal comes from
 * the bounds, not from access): a 4xx problem+json of the expected type, within 2 s, nothing committed on any topic,
 * and the app still ready.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class HostileRequestsTest {

    private static final String ALICE = "alice@example.com";
    private static final String ADMIN = "admin";
    private static final String ANONYMOUS = null;

    /** One request of the corpus; {@code key} is the Idempotency-Key of a payment (a fresh one when "new"). */
    record Hostile(String name, String user, String method, String path, String key, String body, int status,
            String type) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ITEM = "{\"sku\": \"sku-1\", \"qty\": 1, \"unitPrice\": 9.99}";

    /** Alice's payment of one line with these JSON fields, the rest valid. */
    private static String payment(String item) {
        return "{\"items\": [" + item + "], \"currency\": \"EUR\", \"shippingCountry\": \"FR\"}";
    }

    private static String line(String qty, String unitPrice) {
        return "{\"sku\": \"sku-1\", \"qty\": " + qty + ", \"unitPrice\": " + unitPrice + "}";
    }

    private static Hostile pay(String name, String body, int status, String type) {
        return new Hostile(name, ALICE, "POST", "/orders/o-" + UUID.randomUUID() + "/payments", "new", body, status, type);
    }

    private static Hostile payWithKey(String name, String key, int status, String type) {
        return new Hostile(name, ALICE, "POST", "/orders/o-" + UUID.randomUUID() + "/payments", key, payment(ITEM), status,
                type);
    }

    private static Hostile stock(String name, String sku, String body, int status, String type) {
        return new Hostile(name, ADMIN, "PUT", "/inventory/" + sku, null, body, status, type);
    }

    private static Hostile country(String name, String body, int status, String type) {
        return new Hostile(name, ADMIN, "PUT", "/countries/FR", null, body, status, type);
    }

    private static String zones(int count) {
        return "[" + String.join(",", Collections.nCopies(count, "\"Europe/Paris\"")) + "]";
    }

    static Stream<Hostile> corpus() {
        String invalid = ProblemTypes.INVALID_REQUEST;
        String malformed = ProblemTypes.MALFORMED_BODY;
        // a path parameter's constraint is answered like a body's, naming the parameter (event-kit)
        String parameter = ProblemTypes.INVALID_REQUEST;
        String key = ProblemTypes.INVALID_IDEMPOTENCY_KEY;
        return Stream.of(
                // the request reader refuses exponents past 64 (event-kit); the payment's own bounds are tighter
                pay("price 1e100000000 (a sum that never ends)", payment(line("1", "1e100000000")), 400, malformed),
                pay("price 1e1000 (a total the store could not read back)", payment(line("1", "1e1000")), 400, malformed),
                pay("price 1e2147483647", payment(line("2", "1e2147483647")), 400, malformed),
                pay("price 1e-1000", payment(line("1", "1e-1000")), 400, malformed),
                pay("price 1e13", payment(line("1", "1e13")), 400, invalid),
                pay("price with 13 integer digits", payment(line("1", "1000000000000")), 400, invalid),
                pay("price with 5 fraction digits", payment(line("1", "0.00001")), 400, invalid),
                pay("price 0", payment(line("1", "0")), 400, invalid),
                pay("price -1", payment(line("1", "-1")), 400, invalid),
                pay("price NaN", payment(line("1", "NaN")), 400, malformed),
                pay("price as a string", payment(line("1", "\"9.99\"")), 400, malformed),
                pay("price literal of 200 digits", payment(line("1", "1".repeat(200))), 400, malformed),
                pay("qty over the maximum", payment(line("10001", "1")), 400, invalid),
                pay("qty 0", payment(line("0", "1")), 400, invalid),
                pay("qty 1.5", payment(line("1.5", "1")), 400, malformed),
                pay("qty over int", payment(line("2147483648", "1")), 400, malformed),
                pay("101 items", payment(String.join(",", Collections.nCopies(101, ITEM))), 400, invalid),
                pay("no items", payment(""), 400, invalid),
                pay("a null item", payment("null"), 400, invalid),
                pay("sku of 65 characters", payment("{\"sku\": \"" + "s".repeat(65) + "\", \"qty\": 1, \"unitPrice\": 1}"), 400,
                        invalid),
                pay("sku with a bidi override", payment("{\"sku\": \"sku\u202e1\", \"qty\": 1, \"unitPrice\": 1}"), 400,
                        invalid),
                pay("shipping country of 1,000 characters", "{\"items\": [" + ITEM + "], \"currency\": \"EUR\", "
                        + "\"shippingCountry\": \"" + "F".repeat(1_000) + "\"}", 400, invalid),
                pay("trailing garbage", payment(ITEM) + " {}", 400, malformed),
                pay("duplicate key", "{\"items\": [], " + payment(ITEM).substring(1), 400, malformed),
                pay("nested 40 levels", "{\"x\": " + "[".repeat(40) + "]".repeat(40) + ", " + payment(ITEM).substring(1), 400,
                        malformed),
                pay("a JSON array", "[1, 2]", 400, malformed),
                pay("JSON null", "null", 400, malformed),
                pay("body over 64 KB", "{\"x\": \"" + "x".repeat(70_000) + "\"}", 413, ProblemTypes.TOO_LARGE),
                pay("body over the transport limit (1 MB)", "{\"x\": \"" + "x".repeat(1_100_000) + "\"}", 413, ProblemTypes.TOO_LARGE),
                new Hostile("customerId of 300 characters (orders-admin)", ADMIN, "POST", "/orders/o-1/payments", "new",
                        "{\"customerId\": \"" + "c".repeat(300) + "@example.com\", " + payment(ITEM).substring(1), 400, invalid),
                payWithKey("no Idempotency-Key", null, 400, key),
                payWithKey("Idempotency-Key of 256 characters", "k".repeat(256), 400, key),
                payWithKey("Idempotency-Key with a non-ASCII letter", "cl\u00e9", 400, key),
                new Hostile("orderId of 65 characters", ALICE, "POST", "/orders/" + "o".repeat(65) + "/payments", "new",
                        payment(ITEM), 400, parameter),
                new Hostile("orderId with a dot", ALICE, "POST", "/orders/a.b/payments", "new", payment(ITEM), 400, parameter),
                stock("stock 5.9", "sku-1", "{\"stock\": 5.9}", 400, malformed),
                stock("stock as a string", "sku-1", "{\"stock\": \"5\"}", 400, malformed),
                stock("stock over long", "sku-1", "{\"stock\": 99999999999999999999}", 400, malformed),
                stock("stock over the maximum", "sku-1", "{\"stock\": 1000000001}", 400, invalid),
                stock("stock -1", "sku-1", "{\"stock\": -1}", 400, invalid),
                stock("stock missing", "sku-1", "{}", 400, invalid),
                stock("sku of 65 characters", "s".repeat(65), "{\"stock\": 1}", 400, parameter),
                new Hostile("read the stock of a 200-character sku", ANONYMOUS, "GET", "/inventory/" + "s".repeat(200), null,
                        null, 400, parameter),
                new Hostile("read the invoice of a 65-character orderId", ALICE, "GET", "/invoices/" + "o".repeat(65), null,
                        null, 400, parameter),
                new Hostile("read the delivery of orderId a.b", ALICE, "GET", "/deliveries/a.b", null, null, 400, parameter),
                country("65 time zones", "{\"name\": \"France\", \"currency\": \"EUR\", \"timeZones\": " + zones(65) + "}", 400,
                        invalid),
                country("name of 10,000 characters", "{\"name\": \"" + "n".repeat(10_000)
                        + "\", \"currency\": \"EUR\", \"timeZones\": [\"Europe/Paris\"]}", 400, invalid),
                country("zone of 1,000 characters", "{\"name\": \"France\", \"currency\": \"EUR\", \"timeZones\": [\""
                        + "z".repeat(1_000) + "\"]}", 400, invalid),
                country("name as a number", "{\"name\": 123, \"currency\": \"EUR\", \"timeZones\": [\"Europe/Paris\"]}", 400,
                        malformed),
                country("trailing garbage", "{\"name\": \"France\", \"currency\": \"EUR\", \"timeZones\": [\"Europe/Paris\"]}}",
                        400, malformed));
    }

    /** Taken once, before the first request: none of them may commit anything, so none may since. */
    private static CommittedRecords before;

    @BeforeEach
    void quietBeforeTheFirst() {
        if (before == null) {
            before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        }
    }

    /** What a request set in motion may commit after its answer (a consumer's output): nothing, once all is done. */
    @AfterAll
    static void nothingWasCommittedOnceSettled() {
        assertEquals(Map.of(), before.newRecordsWhenSettled(), "committed records since the first hostile request");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedCheaplyAndChangesNothing(Hostile hostile) {
        RequestSpecification request = as(hostile.user());
        if (hostile.key() != null) {
            request = request.header("Idempotency-Key", "new".equals(hostile.key()) ? UUID.randomUUID().toString() : hostile.key());
        }
        if (hostile.body() != null) {
            request = request.contentType("application/json").body(hostile.body());
        }
        request.request(hostile.method(), hostile.path()).then()
                .time(lessThan(2_000L))
                .statusCode(hostile.status())
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(hostile.status()))
                .body("type", equalTo(hostile.type()));
        // a request that got through would have been answered after its record was committed
        assertEquals(Map.of(), before.newRecords(), "committed records since the first hostile request");
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aPathParameterOutOfShapeIsNamed() {
        as(ALICE).header("Idempotency-Key", UUID.randomUUID().toString()).contentType("application/json").body(payment(ITEM))
                .post("/orders/a.b/payments").then().statusCode(400)
                .body("errors.field", contains("orderId")).body("errors.message", contains(Ids.ORDER_ID_MESSAGE));
        as(ADMIN).contentType("application/json").body("{\"stock\": 1}").put("/inventory/a b").then().statusCode(400)
                .body("errors.field", contains("sku")).body("errors.message", contains(Ids.SKU_MESSAGE));
        as(ALICE).get("/invoices/" + "o".repeat(65)).then().statusCode(400).body("errors.field", contains("orderId"));
        assertEquals(Map.of(), before.newRecords());
    }

    private static RequestSpecification as(String user) {
        return user == null ? given() : given().auth().preemptive().basic(user, user.replaceAll("@.*", ""));
    }
}
