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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.InFlight;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Payments: one purchase per order, decided by the payments store (also across a "restart"); the same request again
 * gets the same answer, a key reused for another request 409, another payment of a paid order 409 order-already-paid;
 * who may pay for whom; faults and refusals commit nothing.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class PaymentsTest {

    static final String PURCHASES = Topics.ORDERS_PURCHASE_COMPLETED.name();
    /** Every topic a payment writes to. */
    static final List<String> PAYMENT_TOPICS = List.of(PURCHASES, Topics.ORDERS_PAYMENTS_COMMANDS.name(),
            Topics.ORDERS_PAYMENTS_STORE.name());
    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.com";

    @Inject
    Payments payments;
    @Inject
    KeysInFlight keysInFlight;

    @BeforeEach
    void countryFr() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    /** Alice's order (her customerId in the body). */
    static Map<String, Object> body(String country, Object... items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", ALICE);
        body.put("items", List.of(items));
        body.put("currency", "EUR");
        body.put("shippingCountry", country);
        return body;
    }

    static Map<String, Object> forCustomer(String customerId, Map<String, Object> body) {
        Map<String, Object> other = new LinkedHashMap<>(body);
        if (customerId == null) {
            other.remove("customerId");
        } else {
            other.put("customerId", customerId);
        }
        return other;
    }

    /** A price given as a string is sent as that JSON number (request bodies are read strictly: "9.99" is refused). */
    static Map<String, Object> item(String sku, Object qty, Object unitPrice) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("qty", qty);
        item.put("unitPrice", unitPrice instanceof String price ? new BigDecimal(price) : unitPrice);
        return item;
    }

    static RequestSpecification as(String user) {
        return user == null ? given() : given().auth().preemptive().basic(user, user.replaceAll("@.*", ""));
    }

    /** As alice. */
    static ValidatableResponse pay(String orderId, String key, Object body) {
        return payAs(ALICE, orderId, key, body);
    }

    /** {@code user} null: anonymous; the password of the test users is their name's local part. */
    static ValidatableResponse payAs(String user, String orderId, String key, Object body) {
        var request = as(user).contentType("application/json").body(body);
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
        // same key, other body or other order: 422 key reused, nothing produced
        reused(pay(order, key, body("FR", item("sku-1", 3, "9.99"))));
        reused(pay(newId(), key, body));
        assertNoPaymentRecords(snapshot);
        assertEquals(1, purchasesOf(order).size());
    }

    /**
     * Eight requests with one key at once: each one is either the payment's answer (the first, or a replay of it once
     * it is decided) or 409 in flight while the first is being decided; one purchase.
     */
    @Test
    void concurrentRequestsWithOneKeyPublishOnce() throws Exception {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("FR", item("sku-9", 1, "1.50"));
        List<ExtractableResponse<Response>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> pay(order, key, body).extract());
            }
            for (Future<ExtractableResponse<Response>> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> paidAt = answers.stream().filter(a -> a.statusCode() == 202).map(a -> a.<String>path("paidAt")).toList();
        assertEquals(1, paidAt.stream().distinct().count(), "one answer for all that were answered: " + paidAt);
        answers.stream().filter(a -> a.statusCode() != 202).forEach(a -> {
            assertEquals(409, a.statusCode(), a.asString());
            assertEquals(ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT, a.path("type"), a.asString());
        });
        InFlight.awaitNone(Duration.ofSeconds(30));
        assertEquals(1, purchasesOf(order).size());
        // once decided, every retry gets the answer
        pay(order, key, body).statusCode(202).header("Idempotent-Replayed", equalTo("true")).body("paidAt", equalTo(paidAt.get(0)));
    }

    /**
     * While this instance processes a request with a key (held here by claiming the key as that request does), a
     * retry is refused with 409 in flight and another request with the key with 422; neither sends anything. Once
     * the first is answered the key works again.
     */
    @Test
    void aKeyInFlightAnswers409AndAnotherBodyWithIt422() {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("FR", item("sku-4", 1, "7"));
        PaymentRequest request = new PaymentRequest(ALICE, List.of(new PaymentRequest.Item("sku-4", 1, new BigDecimal("7"))),
                "EUR", "FR");
        Payments.ScopedKey scoped = new Payments.ScopedKey(ALICE, key);
        CommittedRecords snapshot = CommittedRecords.snapshot();
        keysInFlight.claim(scoped, PaymentsService.fingerprint(order, PaymentValidator.normalize(request)));
        try {
            problem(pay(order, key, body), 409).body("type", equalTo(ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT));
            reused(pay(order, key, body("FR", item("sku-4", 2, "7"))));
            reused(pay(newId(), key, body));
        } finally {
            keysInFlight.release(scoped);
        }
        assertEquals(List.of(), paymentRecordsOf(snapshot, order));
        pay(order, key, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        assertEquals(1, purchasesOf(order).size());
    }

    /** Eight payments of one order at once, from two customers with eight keys: one pays it, seven are refused. */
    @Test
    void concurrentPaymentsOfOneOrderWithOtherKeysGiveOneAcceptedAndOnePurchase() throws Exception {
        String order = newId();
        Map<String, Object> own = forCustomer(null, body("FR", item("sku-8", 1, "2")));
        CommittedRecords snapshot = CommittedRecords.snapshot();
        List<Callable<ExtractableResponse<Response>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = i % 2 == 0 ? ALICE : BOB;
            calls.add(() -> payAs(user, order, newId(), own).extract());
        }
        List<ExtractableResponse<Response>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<ExtractableResponse<Response>> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> statuses = answers.stream().map(ExtractableResponse::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
        answers.stream().filter(a -> a.statusCode() != 202).forEach(a -> {
            assertEquals(409, a.statusCode(), a.asString());
            assertEquals(PaymentsService.ORDER_ALREADY_PAID, a.path("type"), a.asString());
        });
        // every answer waited for its command to be applied: every transaction of the store is committed by now
        assertEquals(List.of(PURCHASES), paymentRecordsOf(snapshot, order).stream().filter(PURCHASES::equals).toList(),
                "committed purchases of the order");
    }

    /**
     * What a previous process left in Kafka: its payment command for key K, applied by the store, but no answer
     * given (it died). This process never saw the request, so only the store can answer the retry, with the old
     * answer.
     */
    @Test
    void aRetryAfterARestartGetsTheStoredAnswer() throws Exception {
        String order = newId();
        String key = newId();
        Map<String, Object> body = body("FR", item("sku-1", 1, "10"));
        PaymentRequest request = new PaymentRequest(ALICE, List.of(new PaymentRequest.Item("sku-1", 1,
                new BigDecimal("10"))), "EUR", "FR");
        Instant paidAt = Instant.parse("2026-01-02T03:04:05.678Z");
        PurchaseCompleted purchase = new PurchaseCompleted(order, ALICE, List.of(new OrderItem("sku-1", 1,
                new BigDecimal("10"))), "EUR", "FR", new BigDecimal("10"), paidAt);
        Topic<String, PaymentCommand> commands = Topics.ORDERS_PAYMENTS_COMMANDS;
        try (KafkaProducer<String, PaymentCommand> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                commands.keySerializer(), commands.valueSerializer())) {
            producer.send(new ProducerRecord<>(commands.name(), order, new PaymentCommand("earlier-1", ALICE, key,
                    PaymentsService.fingerprint(order, PaymentValidator.normalize(request)), purchase))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> payments.get(order).isPresent());
        CommittedRecords snapshot = CommittedRecords.snapshot();
        pay(order, key, body).statusCode(202).header("Idempotent-Replayed", equalTo("true"))
                .body("paidAt", equalTo(paidAt.toString()));
        reused(pay(order, key, body("FR", item("sku-1", 2, "10"))));
        assertEquals(List.of(), paymentRecordsOf(snapshot, order));
        assertEquals(1, purchasesOf(order).size());
    }

    @Test
    void onlyCustomersAndOrdersAdminsPayAndACustomerPaysOnlyForThemself() {
        Map<String, Object> alices = body("FR", item("sku-1", 1, "3"));
        String order = newId();
        CommittedRecords snapshot = CommittedRecords.snapshot();
        problem(payAs(null, order, newId(), alices), 401);
        problem(payAs(null, order, newId(), "{not json"), 401); // authorization comes before the body is read
        problem(payAs(null, order, null, alices), 401);
        problem(payAs("clerk", order, newId(), alices), 403);
        problem(payAs("clerk", order, newId(), "{not json"), 403);
        problem(payAs(BOB, order, newId(), alices), 403).body("detail", equalTo("This belongs to another user."));
        problem(payAs(BOB, order, newId(), forCustomer(" ALICE@example.com", alices)), 403);
        problem(payAs("admin", order, newId(), forCustomer(null, alices)), 400).body("errors.field", hasItem("customerId"));
        assertEquals(List.of(), paymentRecordsOf(snapshot, order));

        // without a customerId the order is the caller's; their email written otherwise is them too
        String own = newId();
        pay(own, newId(), forCustomer(null, alices)).statusCode(202);
        String spelled = newId();
        pay(spelled, newId(), forCustomer(" Alice@Example.COM", alices)).statusCode(202);
        // orders-admin pays for whoever it names
        String forBob = newId();
        payAs("admin", forBob, newId(), forCustomer(BOB, alices)).statusCode(202);
        assertEquals(ALICE, purchasesOf(own).get(0).value().customerId());
        assertEquals(ALICE, purchasesOf(spelled).get(0).value().customerId());
        assertEquals(BOB, purchasesOf(forBob).get(0).value().customerId());
    }

    @Test
    void keysAreScopedPerUserAndAPaidOrderRefusesEveryOtherPayment() {
        String key = newId();
        String alicesOrder = newId();
        String bobsOrder = newId();
        Map<String, Object> own = forCustomer(null, body("FR", item("sku-3", 1, "4")));
        pay(alicesOrder, key, own).statusCode(202).header("Idempotent-Replayed", nullValue());
        // the same key from bob is bob's key: a payment of its own, neither alice's answer nor a reuse
        payAs(BOB, bobsOrder, key, own).statusCode(202).header("Idempotent-Replayed", nullValue());

        CommittedRecords snapshot = CommittedRecords.snapshot();
        // alice's order is paid: another customer, another key of hers, an orders-admin: 409 order-already-paid
        alreadyPaid(payAs(BOB, alicesOrder, newId(), own));
        alreadyPaid(pay(alicesOrder, newId(), own));
        alreadyPaid(payAs("admin", alicesOrder, key, forCustomer(ALICE, own)));
        pay(alicesOrder, key, own).statusCode(202).header("Idempotent-Replayed", equalTo("true"));
        // each one's key paid their order: for the other order it is a key reused for another request
        reused(pay(bobsOrder, key, own));
        reused(payAs(BOB, alicesOrder, key, own));
        assertEquals(List.of(), paymentRecordsOf(snapshot, alicesOrder, bobsOrder));
        assertEquals(1, purchasesOf(alicesOrder).size());
        assertEquals(BOB, purchasesOf(bobsOrder).get(0).value().customerId());
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
        problem(as(ALICE).header("Idempotency-Key", newId()).contentType("text/plain").body("hello")
                .post("/orders/" + newId() + "/payments").then(), 415);
        assertNoPaymentRecords(snapshot);
    }

    /** Nothing on the payment topics since the snapshot, once what the requests started has finished. */
    private static void assertNoPaymentRecords(CommittedRecords snapshot) {
        Map<String, Long> since = snapshot.newRecordsWhenSettled();
        PAYMENT_TOPICS.forEach(topic -> assertEquals(0L, since.getOrDefault(topic, 0L), since.toString()));
    }

    /**
     * The topics of the records committed on the payment topics for these orders since the snapshot. A refused request
     * is answered before anything is sent, so no wait is needed for what it might have written.
     */
    private static List<String> paymentRecordsOf(CommittedRecords snapshot, String... orderIds) {
        Set<String> ids = Set.of(orderIds);
        return snapshot.newRecordList().stream().filter(r -> PAYMENT_TOPICS.contains(r.topic()))
                .filter(r -> ids.contains(new String(r.key(), StandardCharsets.UTF_8))).map(ConsumerRecord::topic).toList();
    }

    static ValidatableResponse reused(ValidatableResponse response) {
        return problem(response, 422).body("type", equalTo(ProblemTypes.IDEMPOTENCY_KEY_REUSED));
    }

    static ValidatableResponse alreadyPaid(ValidatableResponse response) {
        return problem(response, 409).body("type", equalTo(PaymentsService.ORDER_ALREADY_PAID));
    }

    static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status));
    }
}
