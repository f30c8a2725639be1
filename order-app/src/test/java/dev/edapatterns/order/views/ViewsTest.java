package dev.edapatterns.order.views;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import dev.edapatterns.order.deliveries.Deliveries;
import dev.edapatterns.order.inventory.Inventory;
import dev.edapatterns.order.invoices.Invoices;
import dev.edapatterns.order.payments.PaymentsService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The views of checked-out orders: a paid order is scheduled for delivery, taken off the stock of each of its skus
 * and invoiced with a fresh number, each exactly once per orderId even when the order's purchase reaches checkout
 * twice; its delivery and invoice are shown to its customer and orders-admin only; stock is set by reference-admin
 * only, bad requests commit nothing.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ViewsTest {

    static final Duration VIEW = Duration.ofSeconds(40);

    @BeforeEach
    void countryFr() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    static void setStock(String sku, long stock) {
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body(Map.of("stock", stock))
                .put("/inventory/" + sku).then().statusCode(200)
                .body("sku", equalTo(sku)).body("stock", equalTo((int) stock));
    }

    static final String ALICE = "alice@example.com";

    /** Alice pays (her order: the body names no customerId). */
    static void pay(String order, List<Map<String, Object>> items) {
        payment(order, items).then().statusCode(202);
    }

    static Response payment(String order, List<Map<String, Object>> items) {
        return given().auth().preemptive().basic(ALICE, "alice").contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("currency", "EUR", "shippingCountry", "FR", "items", items))
                .post("/orders/" + order + "/payments");
    }

    static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }

    /** Waits until alice, the order's customer, can read it. */
    static JsonPath awaitView(String path) {
        await().atMost(VIEW).pollInterval(Duration.ofMillis(100)).until(() -> as(ALICE, "alice").get(path).statusCode() == 200);
        return as(ALICE, "alice").get(path).then().statusCode(200).extract().jsonPath();
    }

    /** The order's customer and orders-admin read it; another customer, another role or nobody do not. */
    static void readableByItsCustomerOnly(String path) {
        as(ALICE, "alice").get(path).then().statusCode(200);
        as("admin", "admin").get(path).then().statusCode(200);
        as("bob@example.com", "bob").get(path).then().statusCode(403).contentType("application/problem+json");
        as("clerk", "clerk").get(path).then().statusCode(403).contentType("application/problem+json");
        given().get(path).then().statusCode(401).contentType("application/problem+json");
    }

    @Inject
    Deliveries deliveries;
    @Inject
    Inventory inventory;
    @Inject
    Invoices invoices;


    @Test
    void aCheckedOutOrderIsDeliveredTakenOffStockAndInvoicedOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "sku-a-" + run;
        String b = "sku-b-" + run;
        setStock(a, 10);
        setStock(b, 5);
        String order = "order-" + run;
        pay(order, List.of(Map.of("sku", a, "qty", 2, "unitPrice", new BigDecimal("1.00")),
                Map.of("sku", b, "qty", 3, "unitPrice", new BigDecimal("2.00")),
                Map.of("sku", a, "qty", 1, "unitPrice", new BigDecimal("1.00"))));

        JsonPath delivery = awaitView("/deliveries/" + order);
        assertEquals("SCHEDULED", delivery.getString("status"));
        assertEquals("FR", delivery.getString("shippingCountry"));
        assertEquals(3, delivery.getList("items").size());
        JsonPath invoice = awaitView("/invoices/" + order);
        long number = invoice.getLong("number");
        int counter = InvoiceCommand.counterOf(order);
        assertEquals(counter + 1, (number - 1) % InvoiceCommand.COUNTERS + 1, "the number comes from the order's counter");
        assertEquals(0, new java.math.BigDecimal("9.00").compareTo(invoice.getObject("total", java.math.BigDecimal.class)));
        await().atMost(VIEW).until(() -> given().get("/inventory/" + a).jsonPath().getLong("stock") == 7);
        given().get("/inventory/" + a).then().body("ordered", equalTo(3)).body("orders", equalTo(1));
        await().atMost(VIEW).until(() -> given().get("/inventory/" + b).jsonPath().getLong("stock") == 2);

        readableByItsCustomerOnly("/deliveries/" + order);
        readableByItsCustomerOnly("/invoices/" + order);

        // paid again under another Idempotency-Key: refused, the order has its one purchase
        payment(order, List.of(Map.of("sku", a, "qty", 4, "unitPrice", new BigDecimal("1.00")))).then().statusCode(409)
                .body("type", equalTo(PaymentsService.ORDER_ALREADY_PAID));
        // a purchase that reaches checkout twice all the same: checked out a second time, counted by no view
        long duplicates = deliveries.store().stats().duplicates();
        long inventoryApplied = inventory.store().stats().applied();
        long invoicesApplied = invoices.counters().stats().applied();
        publish(new PurchaseCompleted(order, ALICE, List.of(new OrderItem(a, 4, new BigDecimal("1.00"))), "EUR", "FR",
                new BigDecimal("4.00"), Instant.now()));
        await().atMost(VIEW).until(() -> TopicRecords.readCommitted(Topics.ORDERS_CHECKOUT_COMPLETED).stream()
                .filter(r -> order.equals(r.key())).count() == 2);
        // the deliveries view skipped the second checkout as a duplicate, so it sent the other views nothing
        await().atMost(VIEW).until(() -> deliveries.store().stats().duplicates() == duplicates + 1);
        assertEquals(2, TopicRecords.readCommitted(Topics.ORDERS_INVENTORY_COMMANDS).stream()
                .filter(r -> order.equals(r.value().orderId())).count(), "one ORDERED command per sku, once");
        assertEquals(1, TopicRecords.readCommitted(Topics.ORDERS_INVOICES_COMMANDS).stream()
                .filter(r -> order.equals(r.value().orderId())).count(), "one invoice command");
        assertEquals(inventoryApplied, inventory.store().stats().applied());
        assertEquals(invoicesApplied, invoices.counters().stats().applied());
        given().get("/inventory/" + a).then().body("stock", equalTo(7)).body("ordered", equalTo(3)).body("orders", equalTo(1));
        as(ALICE, "alice").get("/invoices/" + order).then().body("number", equalTo((int) number));
        assertEquals(1, TopicRecords.readCommitted(Topics.ORDERS_INVOICES).stream().filter(r -> order.equals(r.key())).count(),
                "one invoice for the order");
        assertEquals(1, TopicRecords.readCommitted(StoredState.topic(Topics.ORDERS_DELIVERIES_STORE)).stream()
                .filter(r -> order.equals(r.key())).count(), "the delivery was written once");
    }

    @Test
    void invoiceNumbersAreNeverReused() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        setStock("sku-n-" + run, 100);
        List<String> orders = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "n-" + run + "-" + i).toList();
        orders.forEach(o -> pay(o, List.of(Map.of("sku", "sku-n-" + run, "qty", 1, "unitPrice", new BigDecimal("1")))));
        orders.forEach(o -> awaitView("/invoices/" + o));
        var numbers = TopicRecords.values(Topics.ORDERS_INVOICES).stream().map(i -> i.number()).toList();
        assertEquals(numbers.size(), java.util.Set.copyOf(numbers).size(), "numbers used twice: " + numbers);
        for (var counter : TopicRecords.values(StoredState.topic(Topics.ORDERS_INVOICES_COUNTERS))) {
            InvoiceCounter c = counter.state();
            assertEquals(InvoiceCounter.number(c.counter(), c.issued() - 1), c.lastNumber());
            // a counter numbers every order it gets, so it keeps no ids: its state does not grow with its orders
            assertEquals(0, counter.applied().size(), "applied ids in " + counter);
        }
        given().get("/inventory/sku-n-" + run).then().body("stock", equalTo(88)).body("orders", equalTo(12));
    }

    @Test
    void stockIsSetByReferenceAdminOnlyAndBadRequestsCommitNothing() {
        CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
        given().contentType("application/json").body(Map.of("stock", 1)).put("/inventory/x1").then().statusCode(401);
        given().auth().preemptive().basic("clerk", "clerk").contentType("application/json").body(Map.of("stock", 1))
                .put("/inventory/x1").then().statusCode(403);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body(Map.of("stock", -1))
                .put("/inventory/x1").then().statusCode(400).contentType("application/problem+json");
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body("{}")
                .put("/inventory/x1").then().statusCode(400).contentType("application/problem+json");
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body(Map.of("stock", 1))
                .put("/inventory/bad sku!").then().statusCode(400).contentType("application/problem+json");
        assertEquals(0, before.newRecords(Topics.ORDERS_INVENTORY_COMMANDS.name()));
        given().get("/inventory/never-" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        // an unknown order: 404 for whoever may read orders at all
        for (String path : List.of("/deliveries/never", "/invoices/never")) {
            as(ALICE, "alice").get(path).then().statusCode(404).contentType("application/problem+json");
            as("bob@example.com", "bob").get(path).then().statusCode(404);
            as("admin", "admin").get(path).then().statusCode(404);
            as("clerk", "clerk").get(path).then().statusCode(403);
            given().get(path).then().statusCode(401);
        }
    }

    private static void publish(PurchaseCompleted purchase) {
        Topic<String, PurchaseCompleted> topic = Topics.ORDERS_PURCHASE_COMPLETED;
        try (KafkaProducer<String, PurchaseCompleted> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                topic.keySerializer(), topic.valueSerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), purchase.orderId(), purchase)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
