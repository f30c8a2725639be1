package dev.edapatterns.billing.ledger;

import static dev.edapatterns.billing.ledger.LedgerTestSupport.CHARGES;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.GROUP;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.blocked;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.blockedAt;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.charge;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.chargeIds;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.committedOffset;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.failPostings;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.poison;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.releasePostings;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.rewind;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.send;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.sendAll;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.userOn;
import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.retry.BlockedRecord;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Blocking retry of the ledger against the real broker: a failing charge holds only its user (that user's later
 * charges wait, in order; other users' charges of the same partition are applied), until it is released, retried now
 * or skipped (durably); the committed offset never passes it. Each test uses users of its own and releases them at the
 * end. Backoff in %test: 200 ms doubling up to 3 s.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class LedgerBlockingRetryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    LedgerConsumer ledger;
    @Inject
    CompactedStore<String, LedgerAccount> accounts;

    @Test
    void aFailingChargeHoldsOnlyItsUserAndTheUsersOrderSurvivesTheBlock() {
        String alice = userOn(0, "alice");
        String alicesNeighbour = userOn(0, "neighbour"); // same partition, another user
        String bob = userOn(1, "bob");
        String carol = userOn(2, "carol");
        failPostings(alice);

        RecordMetadata first = send(charge(alice, "a1", "10.00"));
        send(charge(alice, "a2", "-3.00")); // a refund: must come after the charge
        RecordMetadata neighbours = send(charge(alicesNeighbour, "n1", "5.00"));
        send(charge(bob, "b1", "20.00"));
        send(charge(carol, "c1", "30.00"));

        // the other partitions flow while alice is held, and so does her neighbour on her partition
        await().atMost(WAIT).until(() -> chargeIds(bob).size() == 1 && chargeIds(carol).size() == 1);
        await().atMost(WAIT).until(() -> chargeIds(alicesNeighbour).size() == 1);
        await().atMost(WAIT).until(() -> blockedAt(first) != null && blockedAt(first).attempts() >= 2);
        BlockedRecord block = blockedAt(first);
        assertEquals(CHARGES, block.topic());
        assertEquals(alice, block.key());
        assertTrue(block.lastError().contains("posting unavailable"), block.lastError());
        assertFalse(block.permanent());
        assertNotNull(block.nextAttemptAt());
        send(charge(bob, "b2", "1.00"));
        await().atMost(WAIT).until(() -> chargeIds(bob).size() == 2);
        // alice's later charge waits behind the blocked one, and no offset passed it
        assertEquals(List.of(), chargeIds(alice));
        assertNotNull(blockedAt(first));
        assertTrue(committedOffset(GROUP, 0) <= first.offset(), "committed past a blocked record");

        releasePostings(alice); // the next scheduled attempt succeeds
        await().atMost(WAIT).until(() -> chargeIds(alice).size() == 2);
        assertEquals(List.of(charge(alice, "a1", "1").chargeId(), charge(alice, "a2", "1").chargeId()), chargeIds(alice));
        asAdmin().get("/ledger/" + alice).then().statusCode(200)
                .body("balances.EUR", equalTo(7.0f))
                .body("entries[0].offset", equalTo((int) first.offset()))
                .body("entries[1].offset", equalTo((int) first.offset() + 1));
        assertNull(blockedAt(first));
        await().atMost(WAIT).until(() -> committedOffset(GROUP, 0) > neighbours.offset());
    }

    @Test
    void retryNowAttemptsAtOnceWhateverTheSchedule() {
        String rita = userOn(4, "rita");
        failPostings(rita);
        RecordMetadata record = send(charge(rita, "r1", "9.99"));
        await().atMost(WAIT).until(() -> blockedAt(record) != null);

        // still failing: the attempt is made and counted, the record stays blocked
        int before = blockedAt(record).attempts();
        asAdmin().post("/admin/blocked/" + CHARGES + "/" + record.partition() + "/" + record.offset() + "/retry").then()
                .statusCode(200).body("applied", equalTo(false))
                .body("stillBlocked.lastError", containsString("posting unavailable"));
        assertTrue(blockedAt(record).attempts() > before);

        // wait for a schedule at least 1.5 s ahead (delays grow 200 ms, 400 ms ... 3 s), then fix the cause and retry now
        await().atMost(WAIT).until(() -> {
            BlockedRecord b = blockedAt(record);
            return b.nextAttemptAt().isAfter(Instant.now().plusMillis(1500));
        });
        Instant scheduled = blockedAt(record).nextAttemptAt();
        releasePostings(rita);
        asAdmin().post("/admin/blocked/" + CHARGES + "/" + record.partition() + "/" + record.offset() + "/retry").then()
                .statusCode(200).body("applied", equalTo(true));
        assertTrue(Instant.now().isBefore(scheduled), "applied by the retry, not by the schedule");
        assertEquals(List.of(charge(rita, "r1", "1").chargeId()), chargeIds(rita));
        assertNull(blockedAt(record));

        asAdmin().post("/admin/blocked/" + CHARGES + "/" + record.partition() + "/" + record.offset() + "/retry").then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void skipReleasesTheUserAndTheDecisionSurvivesARestart() {
        String sam = userOn(3, "sam");
        String sue = userOn(3, "sue");
        failPostings(sam); // and it stays failing: only the skip lets sam's charges go on
        RecordMetadata stuck = send(charge(sam, "s1", "12.00"));
        send(charge(sue, "u1", "4.00"));
        await().atMost(WAIT).until(() -> blockedAt(stuck) != null);
        await().atMost(WAIT).until(() -> chargeIds(sue).size() == 1); // another user of the partition: not held

        // a malformed command: 400 problem, no decision written, still blocked
        CommittedRecords nothingYet = CommittedRecords.snapshot();
        asAdmin().contentType("application/json").body("{not json")
                .post("/admin/blocked/" + CHARGES + "/3/" + stuck.offset() + "/skip").then().statusCode(400)
                .contentType("application/problem+json");
        assertEquals(0, nothingYet.newRecords(Topics.BILLING_LEDGER_SKIPS.name()));
        assertNotNull(blockedAt(stuck));

        asAdmin().contentType("application/json").body("{\"reason\":\"card charged twice upstream, refunded by hand\"}")
                .post("/admin/blocked/" + CHARGES + "/3/" + stuck.offset() + "/skip").then().statusCode(200)
                .body("consumer", equalTo("ledger"))
                .body("offset", equalTo((int) stuck.offset()))
                .body("recordKey", equalTo(sam))
                .body("reason", equalTo("card charged twice upstream, refunded by hand"))
                .body("lastError", containsString("posting unavailable"));
        assertEquals(List.of(), chargeIds(sam));
        assertNull(blockedAt(stuck));
        String key = SkipDecision.key("ledger", CHARGES, 3, stuck.offset());
        assertTrue(TopicRecords.readCommitted(Topics.BILLING_LEDGER_SKIPS).stream().map(ConsumerRecord::key)
                .anyMatch(key::equals), "the decision is on billing.ledger.skips");
        asAdmin().post("/admin/blocked/" + CHARGES + "/3/" + stuck.offset() + "/skip").then().statusCode(404)
                .contentType("application/problem+json");

        // a restart before the offset commit (rewound here): the record comes again, sam's postings still fail, and the
        // fresh consumer with its skip decisions read back from Kafka passes over it instead of blocking again
        ledger.restart(() -> rewind(GROUP, 3, stuck.offset()));
        send(charge(sue, "u2", "6.00"));
        await().atMost(WAIT).until(() -> chargeIds(sue).size() == 2);
        assertEquals(List.of(charge(sue, "u1", "1").chargeId(), charge(sue, "u2", "1").chargeId()), chargeIds(sue),
                "u1 came again and was not applied twice");
        assertEquals(List.of(), chargeIds(sam));
        assertTrue(blocked().stream().noneMatch(b -> b.partition() == 3), blocked().toString());
        assertTrue(ledger.skippedByDecision() >= 1);
        releasePostings(sam);
    }

    @Test
    void aPermanentlyBadRecordWaitsForAnOperatorWhileTheConsumerStaysLiveAndInItsGroup() {
        String pat = userOn(5, "pat");
        String bob = userOn(1, "bob2");
        RecordMetadata invalid = send(new Charge(charge(pat, "p1", "1").chargeId(), pat, "2026-11", java.math.BigDecimal.ZERO,
                "EUR", Instant.now()));
        RecordMetadata after = send(charge(pat, "p2", "8.00"));
        await().atMost(WAIT).until(() -> blockedAt(invalid) != null);
        BlockedRecord block = blockedAt(invalid);
        assertTrue(block.permanent());
        assertNull(block.nextAttemptAt(), "no retry can fix it: no attempt scheduled");
        assertTrue(block.lastError().contains("amount must be non-zero"), block.lastError());
        long assignments = ledger.processor().stats().rebalances(); // it holds the partition: it was assigned by now

        // blocked for well over the stall timeout (3 s) and max.poll.interval.ms (6 s) of %test: the loop keeps
        // polling, so liveness stays UP, no rebalance happens, other partitions flow, no attempt is made by itself
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int flowed = 0;
        while (System.nanoTime() < until) {
            Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            send(charge(bob, "f" + flowed, "1.00"));
            flowed++;
            int expected = flowed;
            await().atMost(WAIT).until(() -> chargeIds(bob).size() == expected);
        }
        assertEquals(1, blockedAt(invalid).attempts());
        assertEquals(assignments, ledger.processor().stats().rebalances(), "the consumer was never kicked out of its group");
        assertEquals(List.of(), chargeIds(pat));

        asAdmin().post("/admin/blocked/" + CHARGES + "/5/" + invalid.offset() + "/skip").then().statusCode(200)
                .body("reason", equalTo("skipped by an operator"));
        await().atMost(WAIT).until(() -> chargeIds(pat).size() == 1);

        // an unreadable record is permanent too
        RecordMetadata unreadable = poison(pat);
        await().atMost(WAIT).until(() -> blockedAt(unreadable) != null);
        assertTrue(blockedAt(unreadable).lastError().contains("unreadable record"), blockedAt(unreadable).lastError());
        asAdmin().post("/admin/blocked/" + CHARGES + "/5/" + unreadable.offset() + "/skip").then().statusCode(200);
        await().atMost(WAIT).until(() -> committedOffset(GROUP, 5) > Math.max(after.offset(), unreadable.offset()));
    }

    /**
     * Issue 21's blocked key: user A's charge fails for 10 s while 1,000 charges of 250 other users on the same partition
     * are applied (each user's in order); A's later charge, sent among them, waits behind A's first; the committed
     * offset stays at A's first charge until it is applied; then both of A's are applied, in order.
     */
    @Test
    void aUserBlockedForTenSecondsHoldsOnlyItsOwnChargesWhileAThousandOthersOfItsPartitionAreApplied() {
        String a = userOn(0, "blocked-a");
        List<String> others = IntStream.range(0, 250).mapToObj(i -> userOn(0, "other" + i)).toList();
        failPostings(a);
        RecordMetadata first = send(charge(a, "A1", "10.00"));
        await().atMost(WAIT).until(() -> blockedAt(first) != null);

        List<Charge> before = new ArrayList<>();
        List<Charge> after = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (String other : others) {
                (round < 2 ? before : after).add(charge(other, "o" + round, "1.00"));
            }
        }
        sendAll(before);
        RecordMetadata later = send(charge(a, "A2", "-4.00"));
        List<RecordMetadata> rest = sendAll(after);
        long last = rest.get(rest.size() - 1).offset();
        assertTrue(rest.stream().allMatch(m -> m.partition() == 0) && later.partition() == 0, "all on A's partition");

        // the 1,000 are applied, each user's in order, while A is still blocked with its later charge behind it
        await().atMost(Duration.ofSeconds(60)).until(() -> others.stream().allMatch(u -> entries(u).size() == 4));
        for (String other : others) {
            assertEquals(IntStream.range(0, 4).mapToObj(r -> charge(other, "o" + r, "1").chargeId()).toList(), entries(other));
        }
        assertNotNull(blockedAt(first), "A is still blocked");
        assertEquals(List.of(), entries(a));
        assertTrue(committedOffset(GROUP, 0) <= first.offset(), "committed past A's blocked charge");

        // A's charge keeps failing for 10 s (its attempts back off: 200 ms doubling up to 3 s)
        await().atMost(WAIT).until(() -> {
            BlockedRecord block = blockedAt(first);
            return Duration.between(block.blockedSince(), block.lastAttemptAt()).compareTo(Duration.ofSeconds(10)) >= 0;
        });
        assertEquals(List.of(), entries(a));
        releasePostings(a);
        await().atMost(WAIT).until(() -> entries(a).size() == 2);
        assertEquals(List.of(charge(a, "A1", "1").chargeId(), charge(a, "A2", "1").chargeId()), entries(a));
        asAdmin().get("/ledger/" + a).then().statusCode(200).body("balances.EUR", equalTo(6.0f))
                .body("entries[0].offset", equalTo((int) first.offset()))
                .body("entries[1].offset", equalTo((int) later.offset()));
        await().atMost(WAIT).until(() -> committedOffset(GROUP, 0) > last);
    }

    /** The charge ids of the user's account in the ledger store, in entry order. */
    private List<String> entries(String userId) {
        return accounts.get(userId).map(account -> account.entries().stream().map(LedgerAccount.Entry::chargeId).toList())
                .orElse(List.of());
    }
}
