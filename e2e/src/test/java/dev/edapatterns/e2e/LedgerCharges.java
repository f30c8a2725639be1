package dev.edapatterns.e2e;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * billing-app's ledger from outside: charges written straight to {@code billing.charges} (keyed by userId, as the
 * renewal processor writes them), the ledger and the blocked users as billing-app answers, and {@code billing.ledger}
 * read back read_committed.
 */
final class LedgerCharges {

    static final String GROUP = "billing-ledger";

    private LedgerCharges() {
    }

    /** A user id starting with {@code prefix} whose charges land on {@code partition} (the default partitioner). */
    static String userOn(int partition, String prefix) {
        for (int i = 0;; i++) {
            String user = prefix + "-" + i;
            if (Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8))) % Topics.BILLING_CHARGES.partitions()
                    == partition) {
                return user;
            }
        }
    }

    static Charge charge(String userId, String chargeId, String amount) {
        return new Charge(chargeId, userId, "2026-11", new BigDecimal(amount), "EUR", Instant.now());
    }

    /** Sends the charges in this order with one producer; their positions in the same order. */
    static List<RecordMetadata> send(List<Charge> charges) throws Exception {
        try (KafkaProducer<String, Charge> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                Topics.BILLING_CHARGES.keySerializer(), Topics.BILLING_CHARGES.valueSerializer())) {
            List<Future<RecordMetadata>> sent = charges.stream()
                    .map(c -> producer.send(new ProducerRecord<>(Topics.BILLING_CHARGES.name(), c.userId(), c))).toList();
            List<RecordMetadata> out = new ArrayList<>();
            for (Future<RecordMetadata> future : sent) {
                out.add(future.get(30, TimeUnit.SECONDS));
            }
            return out;
        }
    }

    /** The charge ids of the user's ledger as billing-app answers it (as billing-admin), in entry order; empty on 404. */
    static List<String> chargeIds(String url, String userId) {
        Http.Response response = BillingProcess.getAsAdmin(url + "/ledger/" + userId);
        if (response.status() == 404) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        response.json().get("entries").forEach(e -> ids.add(e.get("chargeId").asText()));
        return ids;
    }

    /** The record blocking {@code userId} on billing-app's /admin/blocked, or null. */
    static JsonNode blocked(String url, String userId) {
        for (JsonNode b : BillingProcess.getAsAdmin(url + "/admin/blocked").json()) {
            if (userId.equals(b.get("key").asText())) {
                return b;
            }
        }
        return null;
    }

    /** Every account state written to billing.ledger for these users (read_committed), in order, by user. */
    static Map<String, List<LedgerAccount>> written(Collection<String> users) {
        Map<String, List<LedgerAccount>> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, LedgerAccount> r : TopicRecords.readCommitted(Topics.BILLING_LEDGER)) {
            if (users.contains(r.key())) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            }
        }
        return out;
    }

    /** The ledger group's committed offset on that billing.charges partition (-1: none). */
    static long committed(int partition) throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(Topics.BILLING_CHARGES.name(), partition));
            return offset == null ? -1 : offset.offset();
        }
    }
}
