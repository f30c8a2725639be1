package dev.edapatterns.billing.renewals;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.calls;
import static dev.edapatterns.billing.BillingTestSupport.chargeRecords;
import static dev.edapatterns.billing.BillingTestSupport.charges;
import static dev.edapatterns.billing.BillingTestSupport.subscribe;
import static dev.edapatterns.billing.BillingTestSupport.renewalVersionOne;
import static dev.edapatterns.billing.BillingTestSupport.topicsHolding;
import static dev.edapatterns.billing.BillingTestSupport.user;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.LogLines;
import dev.edapatterns.billing.TestClock;
import dev.edapatterns.billing.provider.ProviderCall;
import dev.edapatterns.billing.provider.ProviderSwitches;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.dlq.DeadLetter;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;

/**
 * Schedule and forget against the real broker: due dates in the user's zone, dedupe of repeated ticks, outage through
 * the retry topics, declines and poison to the DLQ. Charges are counted in the provider's own call log.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class RenewalFlowTest {

    private static final LocalDate DUE = LocalDate.parse("2030-01-10"); // before TestClock.BASE: due

    @Inject
    RenewalScheduler scheduler;
    @Inject
    RenewalProcessor processor;
    @Inject
    SimulatedPaymentProvider provider;
    @Inject
    TestClock clock;
    @Inject
    DueDates dueDates;
    @Inject
    DeadLetterQueue dlq;
    @Inject
    CompactedStore<String, Subscription> subscriptions;

    @BeforeEach
    @AfterEach
    void reset() {
        clock.reset();
        provider.switches(ProviderSwitches.healthy());
    }

    @Test
    void dueAtLocalMidnightOfPaidUntilInTheUsersZone() throws Exception {
        send(Topics.REFERENCE_COUNTRIES.name(), "JP", Topics.REFERENCE_COUNTRIES.valueSerializer().serialize("", 
                new Country("JP", "Japan", "JPY", List.of("Asia/Tokyo"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> dueDates.zone("JP").equals(ZoneId.of("Asia/Tokyo")));
        String tokyo = user("tokyo");
        String utc = user("utc"); // country without time zones: UTC
        LocalDate paidUntil = LocalDate.parse("2030-01-16");
        subscribe(tokyo, "JP", "tok_ok", paidUntil);
        subscribe(utc, "ZZ", "tok_ok", paidUntil);

        clock.set(Instant.parse("2030-01-15T14:59:59Z")); // 23:59:59 in Tokyo
        scheduler.tick();
        clock.set(Instant.parse("2030-01-15T15:00:00Z")); // midnight in Tokyo, 15:00 in UTC
        scheduler.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, tokyo).size() == 1);
        assertEquals(List.of(Instant.parse("2030-01-15T15:00:00Z")), renewals(tokyo).stream().map(RenewalCommand::requestedAt)
                .toList(), "one renewal, sent at Tokyo midnight, none a second earlier");
        assertEquals(List.of(), renewals(utc), "not due in UTC yet");

        clock.set(Instant.parse("2030-01-16T00:00:00Z"));
        scheduler.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, utc).size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> paidUntil(tokyo).equals(LocalDate.parse("2030-02-16"))
                && paidUntil(utc).equals(LocalDate.parse("2030-02-16")));
        assertEquals(1, charges(provider, tokyo).size());
        assertEquals(1, chargeRecords(tokyo).size());
        assertEquals("2030-01-16", chargeRecords(tokyo).get(0).period());
    }

    @Test
    void schedulerFiredTwiceChargesOnce() {
        String user = user("twice");
        subscribe(user, "ZZ", "tok_ok", DUE);
        long duplicatesBefore = processor.stats().duplicates();

        scheduler.tick();
        scheduler.tick(); // the test profile re-sends on every tick: two commands for the same userId:period

        await().atMost(Duration.ofSeconds(30)).until(() -> renewals(user).size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.stats().duplicates() > duplicatesBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> paidUntil(user).equals(DUE.plusMonths(1)));
        assertEquals(1, charges(provider, user).size(), "charged once: " + calls(provider, user));
        assertEquals(1, calls(provider, user).size(), "the duplicate never reached the provider");
        assertEquals(List.of(user + ":" + DUE), renewals(user).stream().map(RenewalCommand::idempotencyKey).distinct().toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> chargeRecords(user).size() == 1);

        scheduler.tick(); // paid: nothing due any more
        assertEquals(2, renewals(user).size());
    }

    /**
     * Ten months overdue: one renewal, one charge (for the period it was paid until), and paidUntil moves to the first
     * period end after today, so later ticks find nothing due (charging a month per tick would take ten ticks).
     */
    @Test
    void anOverdueSubscriptionIsChargedOnceAndMovesPastToday() {
        String user = user("overdue");
        LocalDate overdue = LocalDate.parse("2029-03-10"); // TestClock.BASE is 2030-01-15
        subscribe(user, "ZZ", "tok_ok", overdue);

        scheduler.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> LocalDate.parse("2030-02-10").equals(paidUntil(user)));
        assertFalse(dueDates.isDue(subscriptions.get(user).orElseThrow(), clock.instant()));
        scheduler.tick();
        scheduler.tick();
        await().atMost(Duration.ofSeconds(10)).until(() -> chargeRecords(user).size() == 1);
        assertEquals("2029-03-10", chargeRecords(user).get(0).period());
        assertEquals(1, charges(provider, user).size(), "charged once: " + calls(provider, user));
        assertEquals(1, renewals(user).size(), "the later ticks sent nothing");
    }

    @Test
    void outageGoesThroughTheRetryTopicsAndEveryoneIsChargedExactlyOnce() throws Exception {
        List<String> users = IntStream.range(0, 5).mapToObj(i -> user("outage" + i)).toList();
        users.forEach(u -> subscribe(u, "ZZ", "tok_ok", DUE));
        provider.switches(new ProviderSwitches(0, true, Set.of()));
        String retryTopic = Topics.BILLING_RENEWALS_RETRY_500.name();
        double retriesBefore = metric("eventkit_retry_topic_records_total", "topic", retryTopic);
        double dueBefore = metric("billing_renewals_due_total");
        double chargedBefore = metric("billing_renewals_total", "outcome", "charged");
        double failedBefore = metric("billing_renewals_total", "outcome", "failed");

        scheduler.tick();
        // the outage lasts a while: the first attempt and the retries of 0.5 s and 1 s fail (the one of 2 s comes after)
        await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> failed(u) >= 3));
        scheduler.tick(); // a tick during the outage (the test profile re-sends): still one charge each
        provider.switches(ProviderSwitches.healthy());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> users.stream().allMatch(u -> paidUntil(u).equals(DUE.plusMonths(1))));
        for (String u : users) {
            assertEquals(1, charges(provider, u).size(), u + ": " + calls(provider, u));
            assertTrue(calls(provider, u).stream().anyMatch(c -> c.outcome() == ProviderCall.Outcome.FAILED), u);
            await().atMost(Duration.ofSeconds(10)).until(() -> chargeRecords(u).size() == 1);
        }
        Set<String> retried = TopicRecords.readCommitted(Topics.BILLING_RENEWALS_RETRY_500).stream().map(ConsumerRecord::key)
                .collect(Collectors.toSet());
        assertTrue(retried.containsAll(users), "every renewal went through billing.renewals_retry_500");

        // /q/metrics: two ticks of five, each user charged once after failed attempts that went to the retry topics
        assertTrue(metric("billing_renewals_due_total") >= dueBefore + 10);
        assertTrue(metric("billing_renewals_total", "outcome", "charged") >= chargedBefore + 5);
        assertTrue(metric("billing_renewals_total", "outcome", "failed") >= failedBefore + 5);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> metric("eventkit_retry_topic_records_total", "topic", retryTopic) >= retriesBefore + 5);
    }

    @Test
    void declineGoesStraightToTheDlqAndTheSubscriptionIsPastDue() {
        String user = user("declined");
        subscribe(user, "ZZ", "tok_declined_1", DUE);
        double dlqBefore = metric("eventkit_dlq_records", "topic", Topics.BILLING_RENEWALS_DLQ.name());

        scheduler.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(user).size() == 1);
        asAdmin().get("/subscriptions/" + user).then().body("status", equalTo("PAST_DUE"));
        DeadLetter letter = deadLetters(user).get(0);
        Map<String, String> h = letter.headers();
        assertEquals("billing.renewals", h.get(DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals("dev.edapatterns.billing.provider.CardDeclinedException", h.get(DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals("card declined", h.get(DeadLetterQueue.EXCEPTION_MESSAGE));
        assertEquals("1", h.get(DeadLetterQueue.ATTEMPTS));
        assertTrue(h.containsKey(DeadLetterQueue.ORIGINAL_OFFSET) && h.containsKey(DeadLetterQueue.FIRST_FAILURE_AT)
                && h.containsKey(DeadLetterQueue.LAST_FAILURE_AT), h.toString());
        assertTrue(letter.value().contains(user + ":" + DUE), "the DLQ keeps the value: " + letter.value());
        assertEquals(List.of(ProviderCall.Outcome.DECLINED), calls(provider, user).stream().map(ProviderCall::outcome).toList());
        assertTrue(TopicRecords.readCommitted(Topics.BILLING_RENEWALS_RETRY_500).stream().noneMatch(r -> user.equals(r.key())),
                "a decline is not retried");

        scheduler.tick(); // PAST_DUE is not renewed by the scheduler
        assertEquals(1, renewals(user).size());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> metric("eventkit_dlq_records", "topic", Topics.BILLING_RENEWALS_DLQ.name()) >= dlqBefore + 1);
    }

    /**
     * Card tokens are write-only. Two subscriptions renew through an outage (retry topics); then one card is charged
     * (billing.charges, the dedupe store, the ledger) and the other declined (DLQ). Every record committed meanwhile, on
     * every topic of the broker, is scanned (key, value, headers): the tokens are on billing.subscriptions only. No
     * answer and no log line shows them; the answers show their last 4 characters.
     */
    @Test
    void cardTokensAreOnlyInTheSubscriptionsTopicNeverInAnAnswerOrALogLine() {
        String charged = user("scan-charged");
        String declined = user("scan-declined");
        String chargedCard = "tok_scan_" + UUID.randomUUID() + "_4242";
        String declinedCard = "tok_scan_" + UUID.randomUUID() + "_1881";
        try (LogLines logs = LogLines.capture()) {
            CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
            subscribe(charged, "ZZ", chargedCard, DUE);
            subscribe(declined, "ZZ", declinedCard, DUE);
            provider.switches(new ProviderSwitches(0, true, Set.of(declinedCard)));
            scheduler.tick();
            await().atMost(Duration.ofSeconds(30)).until(() -> failed(charged) >= 1 && failed(declined) >= 1);
            // through the API: the declined card goes in whole and comes back as its last 4
            asAdmin().contentType("application/json")
                    .body(Map.of("failureRate", 0, "outage", false, "declinedCards", List.of(declinedCard)))
                    .put("/admin/provider/switches").then().statusCode(200).body("declinedCardsLast4", equalTo(List.of("1881")))
                    .body(not(containsString(declinedCard)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> charges(provider, charged).size() == 1 && deadLetters(declined).size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> DUE.plusMonths(1).equals(paidUntil(charged)));
            await().atMost(Duration.ofSeconds(30)).until(() -> chargeRecords(charged).size() == 1);
            before.newRecordsWhenSettled(); // the ledger and the stores are done too

            List<ConsumerRecord<byte[], byte[]>> records = before.newRecordList();
            Set<String> scanned = records.stream().map(ConsumerRecord::topic).collect(Collectors.toSet());
            assertTrue(scanned.containsAll(Set.of(Topics.BILLING_SUBSCRIPTIONS.name(), Topics.BILLING_RENEWALS.name(),
                    Topics.BILLING_RENEWALS_RETRY_500.name(), Topics.BILLING_RENEWALS_DLQ.name(), Topics.BILLING_CHARGES.name(),
                    Topics.BILLING_CHARGE_CLAIMS.name(), Topics.BILLING_CHARGE_CLAIMS_STORE.name(), Topics.BILLING_LEDGER.name())),
                    "the flow wrote to every topic it should: " + scanned);
            for (String card : List.of(chargedCard, declinedCard)) {
                assertEquals(Set.of(Topics.BILLING_SUBSCRIPTIONS.name()), topicsHolding(records, card), card);
                assertEquals(List.of(), logs.containing(card), "logged");
            }
            assertTrue(logs.size() > 0, "log lines were captured");

            // answers: the subscription, the provider's calls and switches, the dashboard's counters, the DLQ, blocked records
            asAdmin().get("/subscriptions/" + charged).then().statusCode(200).body("cardLast4", equalTo("4242"))
                    .body(not(containsString(chargedCard)));
            assertEquals(List.of("4242"), asAdmin().get("/admin/provider/calls?userId=" + charged).then().statusCode(200)
                    .extract().jsonPath().getList("cardLast4", String.class).stream().distinct().toList());
            asAdmin().get("/admin/provider/switches").then().statusCode(200).body("declinedCardsLast4", equalTo(List.of("1881")))
                    .body(not(containsString(declinedCard)));
            for (String path : List.of("/admin/provider/calls", "/admin/api/summary", "/admin/dlq?limit=500", "/admin/blocked")) {
                String answer = asAdmin().get(path).then().statusCode(200).extract().asString();
                assertFalse(answer.contains(chargedCard) || answer.contains(declinedCard), path + ": " + answer);
            }
        }
    }

    /**
     * The card is read from the subscription when the charge happens: a renewal of a subscription cancelled meanwhile
     * charges nothing, one without a subscription goes to the DLQ, and a command written before renewals lost their
     * card token still decodes, charges the subscription's current card and shows its old token masked in the DLQ.
     */
    @Test
    void theCardIsTheSubscriptionsWhenTheChargeHappens() throws Exception {
        String cancelled = user("cancelled");
        subscribe(cancelled, "ZZ", "tok_ok", DUE);
        long cancelledBefore = processor.stats().cancelled();
        double cancelledMetric = metric("billing_renewals_total", "outcome", "cancelled");
        provider.switches(new ProviderSwitches(0, true, Set.of()));
        scheduler.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> failed(cancelled) >= 1);
        asAdmin().delete("/subscriptions/" + cancelled).then().statusCode(200); // while its renewal waits in a retry topic
        provider.switches(ProviderSwitches.healthy());
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.stats().cancelled() > cancelledBefore);
        assertEquals(0, charges(provider, cancelled).size());
        await().atMost(Duration.ofSeconds(15))
                .until(() -> metric("billing_renewals_total", "outcome", "cancelled") >= cancelledMetric + 1);

        String ghost = user("ghost");
        send(Topics.BILLING_RENEWALS.name(), ghost, renewalVersionOne(ghost, DUE, "tok_v1_ghost_card_9999"));
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(ghost).size() == 1);
        assertEquals(NoCardOnFileException.class.getName(), deadLetters(ghost).get(0).headers().get(DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals(List.of(), calls(provider, ghost));
        Map<String, Object> shown = asAdmin().get("/admin/dlq?limit=500").then().statusCode(200).extract()
                .as(new TypeRef<List<Map<String, Object>>>() {
                }).stream().filter(l -> ghost.equals(l.get("key"))).findFirst().orElseThrow();
        assertTrue(String.valueOf(shown.get("value")).contains("\"cardToken\":\"••••9999\""), shown.toString());
        assertFalse(String.valueOf(shown.get("value")).contains("tok_v1_ghost_card_9999"), shown.toString());

        String old = user("v1");
        subscribe(old, "ZZ", "tok_current_card_7777", DUE);
        send(Topics.BILLING_RENEWALS.name(), old, renewalVersionOne(old, DUE, "tok_stale_card_0000"));
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, old).size() == 1);
        assertEquals("7777", charges(provider, old).get(0).cardLast4(), "the subscription's card, not the command's");
        await().atMost(Duration.ofSeconds(10)).until(() -> DUE.plusMonths(1).equals(paidUntil(old)));
    }

    /** A sample of /q/metrics (public); topic-offset meters are read asynchronously: waits for the first value. */
    static double metric(String name, String... labels) {
        double[] value = new double[1];
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            value[0] = Observability.value(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
            return !Double.isNaN(value[0]);
        });
        return value[0];
    }

    @Test
    void poisonGoesToTheDlqAndTheConsumerGoesOn() throws Exception {
        String key = user("poison");
        send(Topics.BILLING_RENEWALS.name(), key, "{not json".getBytes(StandardCharsets.UTF_8));
        String user = user("after-poison");
        subscribe(user, "ZZ", "tok_ok", DUE);
        scheduler.tick();

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters(key).size() == 1);
        DeadLetter letter = deadLetters(key).get(0);
        assertEquals("{not json", letter.value(), "the poison record is kept byte for byte");
        assertEquals("billing.renewals", letter.headers().get(DeadLetterQueue.ORIGINAL_TOPIC));
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, user).size() == 1);
    }

    private long failed(String user) {
        return calls(provider, user).stream().filter(c -> c.outcome() == ProviderCall.Outcome.FAILED).count();
    }

    private LocalDate paidUntil(String user) {
        return subscriptions.get(user).map(Subscription::paidUntil).orElse(null);
    }

    private List<DeadLetter> deadLetters(String key) {
        return dlq.list(10_000, null).stream().filter(d -> key.equals(d.key())).toList();
    }

    static List<RenewalCommand> renewals(String user) {
        return TopicRecords.readCommitted(Topics.BILLING_RENEWALS).stream().filter(r -> user.equals(r.key()))
                .map(ConsumerRecord::value).toList();
    }

    static void send(String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static ZoneOffset utc() {
        return ZoneOffset.UTC;
    }
}
