package dev.edapatterns.order.checkout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.testing.InFlight;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * Teeth: with the test-only {@code order.checkout.fail-before-commit} every checkout transaction fails after its
 * records were sent. A {@code read_uncommitted} reader sees those records (the checkout and the views' commands); a
 * {@code read_committed} one never does, and the views (deliveries, inventory, invoices) never count them.
 */
@QuarkusTest
@TestProfile(CheckoutAbortTest.FailBeforeCommit.class)
@WithTestResource(KafkaBrokerTestResource.class)
class CheckoutAbortTest {

    public static class FailBeforeCommit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("order.checkout.fail-before-commit", "true");
        }
    }

    @Test
    void anAbortedCheckoutIsOnTheLogButNeverCommitted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json")
                .body(Map.of("name", "France", "currency", "EUR", "timeZones", List.of("Europe/Paris")))
                .put("/countries/FR").then().statusCode(anyOf(equalTo(200), equalTo(201)));
        String order = UUID.randomUUID().toString();
        String sku = "abort-" + order.substring(0, 8);
        given().auth().preemptive().basic("admin", "admin").contentType("application/json").body(Map.of("stock", 5))
                .put("/inventory/" + sku).then().statusCode(200);
        given().auth().preemptive().basic("alice@example.com", "alice").contentType("application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("customerId", "alice@example.com", "currency", "EUR", "shippingCountry", "FR",
                        "items", List.of(Map.of("sku", sku, "qty", 1, "unitPrice", new BigDecimal("1")))))
                .post("/orders/" + order + "/payments").then().statusCode(202);
        String topic = Topics.ORDERS_CHECKOUT_COMPLETED.name();
        int partition = await().atMost(Duration.ofSeconds(40)).until(() -> RawRecords.read(topic, "read_uncommitted").stream()
                .filter(r -> order.equals(r.key())).map(ConsumerRecord::partition).findFirst(), Optional::isPresent).get();
        assertEquals(0, RawRecords.read(topic, "read_committed").stream().filter(r -> order.equals(r.key())).count());
        assertEquals(0, CheckoutTest.checkoutsOf(order).size());

        // a committed checkout behind the aborted ones on their partition: once the deliveries view (the one reader of
        // the topic) has it, it has passed them, and the commands it sent before are applied once the views are done
        String fence = fenceOn(partition);
        send(new CheckoutCompleted(fence, "c1", List.of(new OrderItem(sku + "-fence", 1, BigDecimal.ONE)), "EUR", "FR",
                BigDecimal.ONE, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> asAdmin().get("/deliveries/" + fence).statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> InFlight.backlog("atomic-inventory", Topics.ORDERS_INVENTORY_COMMANDS.name()) == 0
                && InFlight.backlog("atomic-invoices", Topics.ORDERS_INVOICES_COMMANDS.name()) == 0);
        // the views never saw the aborted checkouts, so they sent no commands for the order (not even uncommitted)
        assertEquals(404, asAdmin().get("/deliveries/" + order).statusCode());
        assertEquals(404, asAdmin().get("/invoices/" + order).statusCode());
        assertEquals(5, given().get("/inventory/" + sku).jsonPath().getLong("stock"));
        assertEquals(1, RawRecords.read(Topics.ORDERS_INVENTORY_COMMANDS.name(), "read_uncommitted").stream()
                .filter(r -> sku.equals(r.key())).count(), "only the SET_STOCK command");
    }

    private static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    /** An order id whose records land on this partition of orders.checkout-completed (the producer's key hash). */
    private static String fenceOn(int partition) {
        while (true) {
            String id = "fence-" + UUID.randomUUID();
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % Topics.ORDERS_CHECKOUT_COMPLETED.partitions() == partition) {
                return id;
            }
        }
    }

    private static void send(CheckoutCompleted checkout) throws Exception {
        Topic<String, CheckoutCompleted> topic = Topics.ORDERS_CHECKOUT_COMPLETED;
        try (KafkaProducer<String, CheckoutCompleted> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                topic.keySerializer(), topic.valueSerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), checkout.orderId(), checkout)).get(30, TimeUnit.SECONDS);
        }
    }
}
