package dev.edapatterns.order.checkout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.testing.InFlight;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Checkout: each purchase becomes one committed checkout; invalid and poison purchases go to the DLQ, no stall. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class CheckoutTest {

    static final String PURCHASES = Topics.ORDERS_PURCHASE_COMPLETED.name();
    static final String DLQ = Topics.ORDERS_PURCHASE_COMPLETED_DLQ.name();
    static final String CHECKOUTS = Topics.ORDERS_CHECKOUT_COMPLETED.name();

    @BeforeEach
    void countryFr() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    static List<ConsumerRecord<String, CheckoutCompleted>> checkoutsOf(String orderId) {
        return TopicRecords.readCommitted(Topics.ORDERS_CHECKOUT_COMPLETED).stream()
                .filter(r -> orderId.equals(r.key())).toList();
    }

    @Test
    void aPaidOrderIsCheckedOutOnce() {
        String order = UUID.randomUUID().toString();
        double committedBefore = metric("order_checkout_transactions_total", "outcome", "committed");
        given().auth().preemptive().basic("alice@example.com", "alice").contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerId", "alice@example.com", "currency", "EUR", "shippingCountry", "FR",
                        "items", List.of(Map.of("sku", "s1", "qty", 3, "unitPrice", new BigDecimal("2.50")))))
                .post("/orders/" + order + "/payments").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> checkoutsOf(order).size() == 1);
        CheckoutCompleted done = checkoutsOf(order).get(0).value();
        assertEquals("alice@example.com", done.customerId());
        assertEquals(0, new BigDecimal("7.5").compareTo(done.total()));
        assertNotNull(done.checkedOutAt());
        // every purchase consumed, each in the transaction of its output: a second checkout would be there by now
        await().atMost(Duration.ofSeconds(30)).until(() -> InFlight.backlog("order-checkout", PURCHASES) == 0);
        assertEquals(1, checkoutsOf(order).size());

        // /q/metrics (public): the checkout's transaction committed; the views' atomic stores committed theirs
        assertTrue(metric("order_checkout_transactions_total", "outcome", "committed") > committedBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("eventkit_atomic_transactions_total", "store", "deliveries",
                "outcome", "committed") > 0);
    }

    static double metric(String name, String... labels) {
        return Observability.value(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
    }

    @Test
    void invalidAndPoisonPurchasesGoToTheDlqAndDoNotStallThePartition() throws Exception {
        String order = UUID.randomUUID().toString(); // one key: all three on one partition, in this order
        PurchaseCompleted invalid = new PurchaseCompleted(order, "c1", List.of(new OrderItem("s1", 0, BigDecimal.ONE)),
                "EUR", "FR", BigDecimal.ZERO, Instant.now());
        PurchaseCompleted valid = new PurchaseCompleted(order, "c1", List.of(new OrderItem("s1", 2, BigDecimal.ONE)),
                "EUR", "FR", new BigDecimal("2"), Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(PURCHASES, order, "not json {".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(PURCHASES, order, Json.mapper().writeValueAsBytes(invalid)));
            producer.send(new ProducerRecord<>(PURCHASES, order, Json.mapper().writeValueAsBytes(valid))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> checkoutsOf(order).size() == 1);
        List<ConsumerRecord<String, byte[]>> dead = RawRecords.read(DLQ, "read_committed").stream()
                .filter(r -> order.equals(r.key())).toList();
        assertEquals(2, dead.size());
        assertEquals("not json {", new String(dead.get(0).value(), StandardCharsets.UTF_8));
        assertNotNull(RawRecords.header(dead.get(0), Checkout.DLQ_REASON));
        assertEquals("an item without sku, positive qty and positive unitPrice", RawRecords.header(dead.get(1), Checkout.DLQ_REASON));
        assertNotNull(RawRecords.header(dead.get(1), Checkout.DLQ_ORIGIN));
        assertEquals(2, checkoutsOf(order).get(0).value().items().get(0).qty());
    }
}
