package dev.edapatterns.billing.ledger;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.eventkit.retry.BlockedRecord;
import dev.edapatterns.eventkit.testing.TestKafka;

/** Charges in (as the renewal processor writes them: key userId, the contracts' serializer), ledger and blocks out. */
public final class LedgerTestSupport {

    public static final String CHARGES = Topics.BILLING_CHARGES.name();
    public static final String GROUP = "billing-ledger";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    private LedgerTestSupport() {
    }

    /** A user id unique to this run whose charges land on {@code partition} (the producer's default partitioner). */
    public static String userOn(int partition, String name) {
        for (int i = 0;; i++) {
            String user = name + "-" + RUN + "-" + i;
            if (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % Topics.BILLING_CHARGES.partitions()
                    == partition) {
                return user;
            }
        }
    }

    public static Charge charge(String userId, String chargeId, String amount) {
        return new Charge(chargeId + "-" + RUN, userId, "2026-11", new BigDecimal(amount), "EUR", Instant.now());
    }

    public static RecordMetadata send(Charge charge) {
        return send(charge.userId(), charge);
    }

    /** Sends the charges in this order with one producer (keyed by userId); their metadata in the same order. */
    public static List<RecordMetadata> sendAll(List<Charge> charges) {
        try (KafkaProducer<String, Charge> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                Topics.BILLING_CHARGES.keySerializer(), Topics.BILLING_CHARGES.valueSerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = charges.stream()
                    .map(c -> producer.send(new ProducerRecord<>(CHARGES, c.userId(), c))).toList();
            List<RecordMetadata> out = new java.util.ArrayList<>();
            for (var future : sent) {
                out.add(future.get(30, TimeUnit.SECONDS));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RecordMetadata send(String key, Charge charge) {
        try (KafkaProducer<String, Charge> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                Topics.BILLING_CHARGES.keySerializer(), Topics.BILLING_CHARGES.valueSerializer())) {
            return producer.send(new ProducerRecord<>(CHARGES, key, charge)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record no Charge can be read from. */
    public static RecordMetadata poison(String key) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(CHARGES, key, "{not json".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void failPostings(String userId) {
        asAdmin().put("/admin/ledger/outages/" + userId).then().statusCode(204);
    }

    public static void releasePostings(String userId) {
        asAdmin().delete("/admin/ledger/outages/" + userId).then().statusCode(204);
    }

    /** The charge ids of a user's ledger in entry order; empty when the user has none (404). */
    public static List<String> chargeIds(String userId) {
        var response = asAdmin().get("/ledger/" + userId);
        if (response.statusCode() == 404) {
            return List.of();
        }
        return response.then().statusCode(200).extract().jsonPath().getList("entries.chargeId", String.class);
    }

    public static List<BlockedRecord> blocked() {
        String body = asAdmin().get("/admin/blocked").then().statusCode(200).extract().asString();
        try {
            return Json.mapper().readValue(body, new TypeReference<List<BlockedRecord>>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    public static BlockedRecord blockedAt(RecordMetadata record) {
        return blocked().stream().filter(b -> b.partition() == record.partition() && b.offset() == record.offset()).findFirst()
                .orElse(null);
    }

    public static long committedOffset(String group, int partition) {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec()), new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(group).get(30, TimeUnit.SECONDS);
            OffsetAndMetadata om = offsets.get(new TopicPartition(CHARGES, partition));
            return om == null ? -1 : om.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves the group's committed offset back (the group must have no member): "the commit never happened". */
    public static void rewind(String group, int partition, long offset) {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(CHARGES, partition), new OffsetAndMetadata(offset)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
