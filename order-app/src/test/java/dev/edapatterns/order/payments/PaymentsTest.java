package dev.edapatterns.order.payments;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.PaymentIdempotency;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.InFlight;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Payments: one purchase per Idempotency-Key (also across a "restart"), 409 on reuse, faults commit nothing. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class PaymentsTest {

    static final String PURCHASES = Topics.ORDERS_PURCHASE_COMPLETED.name();
    static final String IDEMPOTENCY = Topics.ORDERS_PAYMENTS_IDEMPOTENCY.name();

    @BeforeEach
    void countryFr() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    static Map<String, Object> body(String country, Object... items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", "cust-1");
        body.put("items", List.of(items));
        body.put("currency", "EUR");
        body.put("shippingCountry", country);
        return body;
    }

    static Map<String, Object> item(String sku, Object qty, Object unitPrice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("qty", qty);
        item.put("unitPrice", unitPrice);
        return item;
    }

    static ValidatableResponse pay(String orderId, String key, Object body) {
        var request = given().contentType("application/json").body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/orders/" + orderId + "/payments").then();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static List<ConsumerRecord<String, PurchaseCompleted>> purchasesOf(String orderId) {
        return TopicRecords.readCommitted(Topics.ORDERS_PURCHASE_COMPLETED).stream()
                .filter(r -> orderId.equals(r.key())).toList();
    }

    @Test
    void aPaymentIsOnePurchaseAndARetryAnswersTheSameAndProducesNothing() {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("fr", item("sku-1", 2, "9.99"), item("sku-2", 1, 5));
        String first = pay(order, key, body).statusCode(202).body("orderId", equalTo(order))
                .body("status", equalTo("ACCEPTED")).body("total", equalTo(24.98f)).body("currency", equalTo("EUR"))
                .header("Idempotent-Replayed", nullValue()).extract().asString();

        List<ConsumerRecord<String, PurchaseCompleted>> records = purchasesOf(order);
        assertEquals(1, records.size());
        PurchaseCompleted purchase = records.get(0).value();
        assertEquals("FR", purchase.shippingCountry());
        assertEquals(0, new BigDecimal("24.98").compareTo(purchase.total()));

        CommittedRecords snapshot = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        // same key, same body (also written differently: 9.990 is 9.99): the same answer, nothing produced
        String again = pay(order, key, body).statusCode(202).header("Idempotent-Replayed", equalTo("true"))
                .extract().asString();
        assertEquals(first, again);
        assertEquals(first, pay(order, key, body("FR", item("sku-1", 2, "9.990"), item("sku-2", 1, 5)))
                .statusCode(202).extract().asString());
        // same key, other body or other order: 409, nothing produced
        problem(pay(order, key, body("FR", item("sku-1", 3, "9.99"))), 409);
        problem(pay(newId(), key, body), 409);
        assertNoPaymentRecords(snapshot);
        assertEquals(1, purchasesOf(order).size());
    }

    @Test
    void concurrentRequestsWithOneKeyPublishOnce() throws Exception {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("FR", item("sku-9", 1, "1.50"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> pay(order, key, body).statusCode(202).extract().path("paidAt"));
            }
            List<String> paidAt = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                paidAt.add(f.get());
            }
            assertEquals(1, paidAt.stream().distinct().count(), "one answer for all: " + paidAt);
        } finally {
            pool.shutdownNow();
        }
        InFlight.awaitNone(Duration.ofSeconds(30));
        assertEquals(1, purchasesOf(order).size());
    }

    /**
     * What a previous process left in Kafka: the answer of key K. This process never saw the request (empty
     * in-flight map), so only the replayed idempotency topic can answer the retry, with the old answer.
     */
    @Test
    void aRetryAfterARestartGetsTheStoredAnswer() throws Exception {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("FR", item("sku-1", 1, "10"));
        PaymentRequest request = new PaymentRequest("cust-1", List.of(new PaymentRequest.Item("sku-1", 1,
                new BigDecimal("10"))), "EUR", "FR");
        Instant paidAt = Instant.parse("2026-01-02T03:04:05.678Z");
        PaymentIdempotency earlier = new PaymentIdempotency(key, PaymentsService.hash(order,
                PaymentValidator.normalize(request)), order, new BigDecimal("10"), "EUR", paidAt);
        try (KafkaProducer<String, PaymentIdempotency> producer = new KafkaProducer<>(
                TestKafka.clients().producer(Map.of()), new StringSerializer(), new EventSerializer<>())) {
            producer.send(new ProducerRecord<>(IDEMPOTENCY, key, earlier)).get();
        }
        CommittedRecords snapshot = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> pay(order, key, body).statusCode(202)
                .header("Idempotent-Replayed", equalTo("true")).body("paidAt", equalTo(paidAt.toString())));
        problem(pay(order, key, body("FR", item("sku-1", 2, "10"))), 409);
        assertNoPaymentRecords(snapshot);
    }

    @Test
    void faultsAre4xxProblemsAndCommitNothing() {
        CommittedRecords snapshot = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        Map<String, Object> ok = body("FR", item("sku-1", 1, "1"));
        problem(pay(newId(), null, ok), 400);
        problem(pay(newId(), "  ", ok), 400);
        problem(pay("bad id!", newId(), ok), 400);
        problem(pay(newId(), newId(), body("ZZ", item("sku-1", 1, "1"))), 400).body("errors.field", hasItem("shippingCountry"));
        problem(pay(newId(), newId(), body("XK", item("sku-1", 1, "1"))), 400).body("errors.field", hasItem("shippingCountry"));
        problem(pay(newId(), newId(), body("FR", item("sku-1", 0, "1"))), 400).body("errors.field", hasItem("items[0].qty"));
        problem(pay(newId(), newId(), body("FR", item("sku-1", -2, "1"))), 400).body("errors.field", hasItem("items[0].qty"));
        problem(pay(newId(), newId(), body("FR", item("sku-1", 1, "0"))), 400).body("errors.field", hasItem("items[0].unitPrice"));
        problem(pay(newId(), newId(), body("FR", item("sku-1", 1, "-1.5"))), 400).body("errors.field", hasItem("items[0].unitPrice"));
        problem(pay(newId(), newId(), body("FR")), 400).body("errors.field", hasItem("items"));
        Map<String, Object> noCurrency = new LinkedHashMap<>(ok);
        noCurrency.put("currency", "EURO");
        problem(pay(newId(), newId(), noCurrency), 400).body("errors.field", hasItem("currency"));
        problem(pay(newId(), newId(), "{\"customerId\": \"c\", \"items\": ["), 400);
        problem(pay(newId(), newId(), "[1, 2]"), 400);
        problem(pay(newId(), newId(), "{\"customerId\": \"c\", \"items\": [{\"sku\": \"a\", \"qty\": 1.5, \"unitPrice\": 1}],"
                + " \"currency\": \"EUR\", \"shippingCountry\": \"FR\"}"), 400);
        problem(pay(newId(), newId(), "x".repeat(70_000)), 413);
        problem(given().header("Idempotency-Key", newId()).contentType("text/plain").body("hello")
                .post("/orders/" + newId() + "/payments").then(), 415);
        assertNoPaymentRecords(snapshot);
    }

    /** Nothing on the purchases and idempotency topics since the snapshot, once what the requests started has finished. */
    private static void assertNoPaymentRecords(CommittedRecords snapshot) {
        Map<String, Long> since = snapshot.newRecordsWhenSettled();
        assertEquals(0L, since.getOrDefault(PURCHASES, 0L), since.toString());
        assertEquals(0L, since.getOrDefault(IDEMPOTENCY, 0L), since.toString());
    }

    static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status));
    }
}
