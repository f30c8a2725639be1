package dev.edapatterns.billing;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.asCustomer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Requests an attacker would send, each as the user who may make that call (so the refusal comes from the bounds, not
 * from access): every one answers its 4xx as problem+json of the expected type (naming the field or parameter),
 * quotes no more than a clipped bit of what was sent, commits nothing to any topic, and leaves the app ready.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class HostileRequestsTest {

    private static final String ALICE = "alice@example.com";
    private static final String MALFORMED = ProblemTypes.MALFORMED_BODY;
    private static final String INVALID = ProblemTypes.INVALID_REQUEST;
    private static final String PARAMETER = ProblemTypes.INVALID_PARAMETER;
    /** Longer than any answer may quote: an answer holding it echoes input unclipped. */
    private static final String LONG = "x".repeat(5_000);

    private static CommittedRecords before;
    private static KafkaConsumer<byte[], byte[]> offsets;
    private static Map<TopicPartition, Long> quietEnds;

    @BeforeAll
    static void snapshot() {
        before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        offsets = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        quietEnds = ends();
    }

    @AfterAll
    static void close() {
        offsets.close();
    }

    /**
     * The end offsets of every topic's partitions (Kafka's own, such as consumer offsets, aside): while they stand
     * still, nothing was committed, which is much cheaper to ask per request than reading what was.
     */
    private static Map<TopicPartition, Long> ends() {
        List<TopicPartition> partitions = offsets.listTopics().values().stream().flatMap(List::stream)
                .filter(p -> !p.topic().startsWith("__")).map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        return offsets.endOffsets(partitions);
    }

    /** One hostile request and what it must get: status, problem type, and the field or parameter it names (or null). */
    record Hostile(String name, String user, String method, String path, String body, int status, String type, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Alice's own subscription, valid but for one member: {@code json} (raw JSON text) replaces or adds {@code name}. */
    private static String subscription(String name, String json) {
        Map<String, String> members = new LinkedHashMap<>(Map.of("userId", "\"" + ALICE + "\"", "plan", "\"pro\"", "price", "9.90",
                "currency", "\"EUR\"", "country", "\"FR\"", "cardToken", "\"tok_visa_4242\""));
        members.put(name, json);
        return members.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
    }

    private static String subscription() {
        return subscription("plan", "\"pro\"");
    }

    private static Hostile alice(String name, String body, int status, String type, String field) {
        return new Hostile(name, ALICE, "POST", "/subscriptions", body, status, type, field);
    }

    private static Hostile admin(String name, String method, String path, String body, int status, String type, String field) {
        return new Hostile(name, "admin", method, path, body, status, type, field);
    }

    static Stream<Hostile> corpus() {
        String nested = "[".repeat(40) + "]".repeat(40);
        String cards = IntStream.range(0, 1001).mapToObj(i -> "\"tok_" + i + "\"").collect(Collectors.joining(","));
        return Stream.of(
                // strict JSON: refused before any code of ours runs
                alice("trailing garbage after the object", subscription() + " {\"userId\":\"bob@example.com\"}", 400, MALFORMED, null),
                alice("a number where a string goes (no coercion)", subscription("plan", "123"), 400, MALFORMED, null),
                alice("a string where a number goes", subscription("price", "\"9.90\""), 400, MALFORMED, null),
                alice("duplicate keys", subscription().replace("}", ",\"price\":1000000}"), 400, MALFORMED, null),
                alice("NaN", subscription("price", "NaN"), 400, MALFORMED, null),
                alice("a number literal of 150 digits", subscription("price", "9".repeat(150)), 400, MALFORMED, null),
                alice("nesting 40 levels deep", subscription("extra", nested), 400, MALFORMED, null),
                alice("an array, not an object", "[" + subscription() + "]", 400, MALFORMED, null),
                alice("not JSON at all", "{\"userId\": " + LONG, 400, MALFORMED, null),
                alice("not a date", subscription("paidUntil", "\"2030-02-30\""), 400, MALFORMED, null),
                alice("an empty body", "", 400, INVALID, "body"),
                // Bean Validation of the body: bounded decimals checked before any arithmetic
                alice("price 1e7 (an exponent the reader accepts)", subscription("price", "1e7"), 400, INVALID, "price"),
                alice("price 1e100000000", subscription("price", "1e100000000"), 400, MALFORMED, null),
                alice("price 1e-100000000", subscription("price", "1e-100000000"), 400, MALFORMED, null),
                alice("price over the maximum", subscription("price", "100000.01"), 400, INVALID, "price"),
                alice("price with 3 decimals", subscription("price", "9.999"), 400, INVALID, "price"),
                alice("negative price", subscription("price", "-5"), 400, INVALID, "price"),
                alice("plan of 65 characters", subscription("plan", "\"" + "p".repeat(65) + "\""), 400, INVALID, "plan"),
                alice("plan with a bidi override", subscription("plan", "\"pro\\u202Eorp\""), 400, INVALID, "plan"),
                alice("plan with NUL", subscription("plan", "\"pro\\u0000\""), 400, INVALID, "plan"),
                alice("card token of 5000 characters", subscription("cardToken", "\"" + LONG + "\""), 400, INVALID, "cardToken"),
                alice("card token with a newline", subscription("cardToken", "\"tok\\n4242\""), 400, INVALID, "cardToken"),
                alice("currency of 5000 characters", subscription("currency", "\"" + LONG + "\""), 400, INVALID, "currency"),
                alice("country not two capitals", subscription("country", "\"FRA\""), 400, INVALID, "country"),
                alice("userId of 5000 characters", subscription("userId", "\"" + LONG + "\""), 400, INVALID, "userId"),
                // the catch-up rule's guard: paidUntil within a year back and two years ahead of today (TestClock 2030-01-15)
                alice("paidUntil in 1900", subscription("paidUntil", "\"1900-01-01\""), 400, INVALID, "paidUntil"),
                alice("paidUntil a day more than a year back", subscription("paidUntil", "\"2029-01-14\""), 400, INVALID, "paidUntil"),
                alice("paidUntil in 2099", subscription("paidUntil", "\"2099-01-01\""), 400, INVALID, "paidUntil"),
                // path parameters
                new Hostile("subscription of a userId of 300 characters", ALICE, "GET", "/subscriptions/" + "a".repeat(300), null, 400,
                        INVALID, "userId"),
                new Hostile("ledger of a userId with a space", ALICE, "GET", "/ledger/alice%20example.com", null, 400, INVALID, "userId"),
                new Hostile("time zones of a 300-letter country", null, "GET", "/timezones/" + "F".repeat(300), null, 400, INVALID,
                        "code"),
                // admin: DLQ paging
                admin("DLQ after a partition beyond an int", "GET", "/admin/dlq?after=99999999999:1", null, 400, PARAMETER, "after"),
                admin("DLQ after the largest offset", "GET", "/admin/dlq?after=0:9223372036854775807", null, 400, PARAMETER, "after"),
                admin("DLQ after a negative partition", "GET", "/admin/dlq?after=-1:0", null, 400, PARAMETER, "after"),
                admin("DLQ limit not a number", "GET", "/admin/dlq?limit=abc", null, 400, PARAMETER, "limit"),
                admin("DLQ limit beyond an int", "GET", "/admin/dlq?limit=99999999999", null, 400, PARAMETER, "limit"),
                admin("DLQ limit over the maximum", "GET", "/admin/dlq?limit=501", null, 400, INVALID, "limit"),
                admin("DLQ limit 0", "GET", "/admin/dlq?limit=0", null, 400, INVALID, "limit"),
                admin("bulk redrive of 100000", "POST", "/admin/dlq/redrive?limit=100000", null, 400, INVALID, "limit"),
                admin("bulk redrive after a three-part cursor", "POST", "/admin/dlq/redrive?after=1:2:3", null, 400, PARAMETER, "after"),
                admin("redrive of partition abc", "POST", "/admin/dlq/abc/0/redrive", null, 400, PARAMETER, "partition"),
                admin("redrive forced with yes", "POST", "/admin/dlq/0/999999999/redrive?force=yes", null, 400, PARAMETER, "force"),
                admin("bulk redrive forced with 1", "POST", "/admin/dlq/redrive?force=1", null, 400, PARAMETER, "force"),
                // admin: blocked records (a skip reads its body by hand: the same strict reader)
                admin("skip with trailing garbage", "POST", "/admin/blocked/billing.charges/0/999999999/skip",
                        "{\"reason\":\"x\"} {\"reason\":\"y\"}", 400, MALFORMED, null),
                admin("skip with a number as reason", "POST", "/admin/blocked/billing.charges/0/999999999/skip", "{\"reason\":5}", 400,
                        MALFORMED, null),
                admin("skip with duplicate keys", "POST", "/admin/blocked/billing.charges/0/999999999/skip",
                        "{\"reason\":\"a\",\"reason\":\"b\"}", 400, MALFORMED, null),
                admin("skip with a reason of 5000 characters", "POST", "/admin/blocked/billing.charges/0/999999999/skip",
                        "{\"reason\":\"" + LONG + "\"}", 400, INVALID, "reason"),
                admin("retry on a topic of 300 characters", "POST", "/admin/blocked/" + "t".repeat(300) + "/0/0/retry", null, 400,
                        INVALID, "topic"),
                admin("retry at offset abc", "POST", "/admin/blocked/billing.charges/0/abc/retry", null, 400, PARAMETER, "offset"),
                // admin: the simulated provider and fault injection
                admin("failure rate 2", "PUT", "/admin/provider/switches", "{\"failureRate\":2,\"outage\":false,\"declinedCards\":[]}",
                        400, INVALID, "failureRate"),
                admin("failure rate as a string", "PUT", "/admin/provider/switches", "{\"failureRate\":\"0.5\",\"outage\":false}", 400,
                        MALFORMED, null),
                admin("1001 declined cards", "PUT", "/admin/provider/switches", "{\"failureRate\":0,\"outage\":false,\"declinedCards\":["
                        + cards + "]}", 400, INVALID, "declinedCards"),
                admin("provider calls limit 0", "GET", "/admin/provider/calls?limit=0", null, 400, INVALID, "limit"),
                admin("provider calls of a userId of 300 characters", "GET", "/admin/provider/calls?userId=" + "u".repeat(300), null,
                        400, INVALID, "userId"),
                admin("an outage for a userId with a space", "PUT", "/admin/ledger/outages/a%20b", null, 400, INVALID, "userId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithoutCost(Hostile h) {
        RequestSpecification request = h.user() == null ? given()
                : ALICE.equals(h.user()) ? asCustomer(ALICE) : asAdmin();
        if (h.body() != null) {
            request = request.contentType("application/json").body(h.body());
        }
        Response response = request.request(h.method(), h.path());
        response.then().statusCode(h.status()).contentType("application/problem+json").body("type", equalTo(h.type()));
        if (h.field() != null) {
            response.then().body("errors.field", hasItem(h.field()));
        }
        String answer = response.asString();
        assertTrue(answer.length() < 2_000 && !answer.contains("x".repeat(100)), "an answer of O(limit), echoing no input: " + answer);

        if (!ends().equals(quietEnds)) { // offsets moved: count the committed records (a transaction marker is none)
            assertEquals(Map.of(), before.newRecords(), "a refused request commits nothing");
        }
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
