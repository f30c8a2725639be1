package dev.edapatterns.order.checkout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The at-least-once mode benchmark P5 compares against ({@code order.checkout.exactly-once=false}): the same outputs
 * without a transaction, and the group's offsets committed only after them (commit-strategy latest).
 */
@QuarkusTest
@TestProfile(CheckoutAtLeastOnceTest.AtLeastOnce.class)
@WithTestResource(KafkaBrokerTestResource.class)
class CheckoutAtLeastOnceTest {

    public static class AtLeastOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("order.checkout.exactly-once", "false",
                    "mp.messaging.incoming.purchases.commit-strategy", "latest");
        }
    }

    @Test
    void checksOutAndDeadLettersThenCommitsTheOffsets() throws Exception {
        String order = UUID.randomUUID().toString(); // one key: both on one partition
        PurchaseCompleted valid = new PurchaseCompleted(order, "c1", List.of(new OrderItem("s1", 2, BigDecimal.ONE)),
                "EUR", "FR", new BigDecimal("2"), Instant.now());
        RecordMetadata last;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CheckoutTest.PURCHASES, order, "not json {".getBytes(StandardCharsets.UTF_8)));
            last = producer.send(new ProducerRecord<>(CheckoutTest.PURCHASES, order, Json.mapper().writeValueAsBytes(valid))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> CheckoutTest.checkoutsOf(order).size() == 1);
        assertEquals(1, RawRecords.read(CheckoutTest.DLQ, "read_committed").stream().filter(r -> order.equals(r.key())).count());

        TopicPartition partition = new TopicPartition(last.topic(), last.partition());
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets("order-checkout")
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() == last.offset() + 1;
            });
        }
        // committed past the purchase: it is not delivered again, so no second checkout can follow
        assertEquals(1, CheckoutTest.checkoutsOf(order).size());
    }
}
