package dev.edapatterns.billing.dlq;

import static dev.edapatterns.billing.BillingTestSupport.calls;
import static dev.edapatterns.billing.BillingTestSupport.chargeRecords;
import static dev.edapatterns.billing.BillingTestSupport.charges;
import static dev.edapatterns.billing.BillingTestSupport.renewalVersionOne;
import static dev.edapatterns.billing.BillingTestSupport.subscribe;
import static dev.edapatterns.billing.BillingTestSupport.topicsHolding;
import static dev.edapatterns.billing.BillingTestSupport.user;
import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.TestClock;
import dev.edapatterns.billing.provider.ProviderSwitches;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.billing.renewals.RenewalProcessor;
import dev.edapatterns.billing.renewals.RenewalScheduler;
import dev.edapatterns.contracts.EventHeaders;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;

/** A renewal that exhausts its retries lands in the DLQ with its cause; redrive charges it once, and only once. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class DeadLettersResourceTest {

    private static final LocalDate DUE = LocalDate.parse("2030-01-10");

    @Inject
    RenewalScheduler scheduler;
    @Inject
    SimulatedPaymentProvider provider;
    @Inject
    TestClock clock;
    @Inject
    RenewalProcessor processor;
    @Inject
    CompactedStore<String, Subscription> subscriptions;

    @BeforeEach
    @AfterEach
    void reset() {
        clock.reset();
        provider.switches(ProviderSwitches.healthy());
    }

    @Test
    void exhaustedRetriesLandInTheDlqAndRedriveChargesOnce() {
        String user = user("redrive");
        subscribe(user, "ZZ", "tok_ok", DUE);
        provider.switches(new ProviderSwitches(0, true, Set.of()));
        scheduler.tick();

        // 1 attempt + 3 retries (0.5 s, 1 s, 2 s), then the DLQ
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(30)).until(() -> find(user), l -> l != null);
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) letter.get("headers");
        assertEquals("4", headers.get(DeadLetterQueue.ATTEMPTS), headers.toString());
        assertEquals("billing.renewals", headers.get(DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals("dev.edapatterns.billing.provider.TransientChargeException", headers.get(DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals("provider outage", headers.get(DeadLetterQueue.EXCEPTION_MESSAGE));
        assertTrue(headers.containsKey(DeadLetterQueue.FIRST_FAILURE_AT) && headers.containsKey(DeadLetterQueue.LAST_FAILURE_AT));
        assertEquals(4, calls(provider, user).size());
        assertEquals(0, charges(provider, user).size());

        provider.switches(ProviderSwitches.healthy());
        String path = "/admin/dlq/" + letter.get("partition") + "/" + letter.get("offset") + "/redrive";
        asAdmin().post(path).then().statusCode(200).body("topic", equalTo("billing.renewals"));
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, user).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> DUE.plusMonths(1).equals(paidUntil(user)));
        int callsAfterCharge = calls(provider, user).size();
        long duplicatesBefore = processor.stats().duplicates();

        // again, one by one and in bulk (forced: it was redriven before): already charged, so the provider hears
        // nothing more
        asAdmin().post(path).then().statusCode(409).body("type", equalTo(DeadLettersResource.ALREADY_REDRIVEN));
        asAdmin().post(path + "?force=true").then().statusCode(200).body("redrives", equalTo(2));
        asAdmin().post("/admin/dlq/redrive?limit=500&force=true").then().statusCode(200);
        // both redriven copies of this renewal were consumed and recognised as already charged
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.stats().duplicates() >= duplicatesBefore + 2);
        assertEquals(callsAfterCharge, calls(provider, user).size(), "a redrive of a charged renewal calls nobody");
        assertEquals(1, charges(provider, user).size());
        assertEquals(1, chargeRecords(user).size());
    }

    /**
     * A dead letter written before renewal commands lost their card token still holds one. Its redrive copies today's
     * renewal command: no record the redrive writes (the copy, the redrive record) nor anything the redriven renewal
     * sets in motion holds the token, and the renewal is charged once, with the subscription's card.
     */
    @Test
    void aLetterWrittenWithACardTokenIsRedrivenWithoutIt() throws Exception {
        String user = user("old-letter");
        String oldCard = "tok_pre_change_" + UUID.randomUUID() + "_1881";
        subscribe(user, "ZZ", "tok_ok", DUE);
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.SCHEMA_VERSION, "1".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterQueue.ORIGINAL_TOPIC, Topics.BILLING_RENEWALS.name().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterQueue.ATTEMPTS, "4".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterQueue.EXCEPTION_CLASS, "dev.edapatterns.billing.provider.CardDeclinedException"
                .getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterQueue.EXCEPTION_MESSAGE, "card declined".getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.BILLING_RENEWALS_DLQ.name(), null, user,
                    renewalVersionOne(user, DUE, oldCard), headers)).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(30)).until(() -> find(user), l -> l != null);
        assertFalse(letter.toString().contains(oldCard), "listed masked: " + letter);

        CommittedRecords before = CommittedRecords.snapshot();
        Map<String, Object> redriven = asAdmin().post("/admin/dlq/" + letter.get("partition") + "/" + letter.get("offset")
                + "/redrive").then().statusCode(200).body("topic", equalTo(Topics.BILLING_RENEWALS.name()))
                .extract().as(new TypeRef<Map<String, Object>>() {
                });
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, user).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> DUE.plusMonths(1).equals(paidUntil(user)));
        before.newRecordsWhenSettled();

        List<ConsumerRecord<byte[], byte[]>> written = before.newRecordList();
        ConsumerRecord<byte[], byte[]> copy = written.stream()
                .filter(r -> r.topic().equals(Topics.BILLING_RENEWALS.name()) && r.partition() == (int) redriven.get("partition")
                        && r.offset() == ((Number) redriven.get("offset")).longValue())
                .findFirst().orElseThrow();
        assertEquals(new RenewalCommand(user + ":" + DUE, user, DUE.toString(), new BigDecimal("9.90"), "EUR",
                Instant.parse("2030-01-15T12:00:00Z")), Topics.BILLING_RENEWALS.valueDeserializer().deserialize("", copy.value()));
        assertEquals("2", new String(copy.headers().lastHeader(EventHeaders.SCHEMA_VERSION).value(), StandardCharsets.UTF_8),
                "the copy is today's renewal command");
        assertTrue(written.stream().anyMatch(r -> r.topic().equals(Topics.BILLING_RENEWALS_DLQ_REDRIVES.name())),
                "the redrive record is among those scanned");
        assertEquals(Set.of(), topicsHolding(written, oldCard), "no record written since holds the old card token");
        assertTrue(Set.of(Topics.BILLING_SUBSCRIPTIONS.name()).containsAll(topicsHolding(written, "\"cardToken\"")),
                "a card token member only in the subscription's own record");
        assertEquals(1, charges(provider, user).size());
        assertEquals(1, chargeRecords(user).size());
    }

    @Test
    void listingPagesAndRejectsBadParameters() throws Exception {
        String a = user("page-a");
        String b = user("page-b");
        PoisonRecords.poison(a);
        PoisonRecords.poison(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> find(a) != null && find(b) != null);

        // other tests' dead letters may still arrive meanwhile: check the order and the cursor, not exact pages
        List<Map<String, Object>> all = list("/admin/dlq?limit=500");
        assertTrue(all.size() >= 2);
        assertInPositionOrder(all);
        Map<String, Object> first = all.get(0);
        List<Map<String, Object>> rest = list("/admin/dlq?limit=500&after=" + first.get("partition") + ":" + first.get("offset"));
        assertInPositionOrder(rest);
        assertTrue(rest.stream().allMatch(l -> compare(l, first) > 0), "only letters after the cursor");
        assertTrue(rest.containsAll(all.subList(1, all.size())), "every later letter is on the next page");
        assertEquals(1, list("/admin/dlq?limit=1").size());
        assertEquals("{not json", find(a).get("value"));

        asAdmin().get("/admin/dlq?limit=0").then().statusCode(400).contentType("application/problem+json");
        asAdmin().get("/admin/dlq?after=x").then().statusCode(400).contentType("application/problem+json");
        asAdmin().post("/admin/dlq/0/999999/redrive").then().statusCode(404).contentType("application/problem+json");
        asAdmin().post("/admin/dlq/0/999999/redrive?force=true").then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static void assertInPositionOrder(List<Map<String, Object>> letters) {
        for (int i = 1; i < letters.size(); i++) {
            assertTrue(compare(letters.get(i - 1), letters.get(i)) < 0, "not in (partition, offset) order: " + letters);
        }
    }

    private static int compare(Map<String, Object> a, Map<String, Object> b) {
        int byPartition = Integer.compare(((Number) a.get("partition")).intValue(), ((Number) b.get("partition")).intValue());
        return byPartition != 0 ? byPartition
                : Long.compare(((Number) a.get("offset")).longValue(), ((Number) b.get("offset")).longValue());
    }

    private Map<String, Object> find(String key) {
        return list("/admin/dlq?limit=500").stream().filter(l -> key.equals(l.get("key"))).findFirst().orElse(null);
    }

    private static List<Map<String, Object>> list(String path) {
        return asAdmin().get(path).then().statusCode(200).extract().as(new TypeRef<List<Map<String, Object>>>() {
        });
    }


    private LocalDate paidUntil(String user) {
        return subscriptions.get(user).map(Subscription::paidUntil).orElse(null);
    }
}
