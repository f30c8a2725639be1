package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;


import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 4 across a billing-app process killed mid-flight: during a provider outage the renewals circulate through
 * the retry topics, billing is killed (-9) and restarted (which also ends the outage: the simulated provider's switches
 * live in the process), and every due subscription is charged exactly once, counted in the provider's call log, a
 * file both processes append to.
 *
 * <p>The ledger in the same run: one user's postings fail in the first process (fault injection), so that user is
 * blocked while the charges of other users on its partition are applied; the kill lands during the block, with the
 * committed offset below the blocked charge. After the restart every charge is applied exactly once (one
 * {@code billing.ledger} write each, read_committed: the redelivered ones were passed over by the charge-id check) and
 * the blocked user's two charges in order.
 */
@ResourceLock(BrokerGroups.BILLING_APP)
class RenewalsRestartTest {

    private static final int USERS = 12;
    /** Ledger users besides the blocked one, all on its partition of billing.charges, 5 charges each. */
    private static final int LEDGER_USERS = 20;
    private static final int LEDGER_PARTITION = 1;
    private final String kafka = TestKafka.bootstrapServers();
    private final Path callLog = Path.of("target", "provider-calls-" + UUID.randomUUID() + ".jsonl").toAbsolutePath();
    private final int port = KafkaBroker.freePort();

    @Test
    void outageKillAndRestartStillChargeEveryDueSubscriptionExactlyOnce() throws Exception {
        LocalDate due = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "restart-" + i + "-" + UUID.randomUUID().toString()
                .substring(0, 6)).toList();
        String run = UUID.randomUUID().toString().substring(0, 6);
        String blockedUser = LedgerCharges.userOn(LEDGER_PARTITION, "ledger-blocked-" + run);
        List<String> ledgerUsers = IntStream.range(0, LEDGER_USERS)
                .mapToObj(i -> LedgerCharges.userOn(LEDGER_PARTITION, "ledger-" + i + "-" + run)).toList();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        RecordMetadata blockedCharge;
        long lastLedgerOffset;
        RunningApp billing = start(Map.of("billing.ledger.fault-injection.enabled", "true",
                "billing.ledger.fault-injection.failing-users", blockedUser));
        try {
            assertEquals(200, BillingProcess.switches(billing.url(), 0, true).status());
            for (String user : users) {
                Http.Response created = BillingProcess.subscribe(billing.url(), user, due);
                assertEquals(201, created.status(), created.body());
            }
            // the scheduler (every second here) sends the renewals; every attempt fails while the outage lasts
            await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> outcomes(u).contains("FAILED")));
            await().atMost(Duration.ofSeconds(30)).until(() -> retried().containsAll(users));

            // the ledger: the blocked user's first charge, then the others' (its second one among them)
            String url = billing.url();
            blockedCharge = LedgerCharges.send(List.of(ledgerCharge(expected, blockedUser, "A1", "10.00"))).get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> LedgerCharges.blocked(url, blockedUser) != null);
            List<Charge> charges = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                if (round == 2) {
                    charges.add(ledgerCharge(expected, blockedUser, "A2", "-2.00"));
                }
                for (String user : ledgerUsers) {
                    charges.add(ledgerCharge(expected, user, "c" + round, "1.00"));
                }
            }
            List<RecordMetadata> sent = LedgerCharges.send(charges);
            lastLedgerOffset = sent.get(sent.size() - 1).offset();
            assertTrue(sent.stream().allMatch(m -> m.partition() == LEDGER_PARTITION));
            await().atMost(Duration.ofSeconds(30)).until(() -> ledgerUsers.stream()
                    .allMatch(u -> LedgerCharges.chargeIds(url, u).equals(expected.get(u))));
            JsonNode block = LedgerCharges.blocked(url, blockedUser);
            assertEquals(blockedCharge.offset(), block.get("offset").asLong(), block.toString());
            assertEquals(List.of(), LedgerCharges.chargeIds(url, blockedUser));
            assertTrue(LedgerCharges.committed(LEDGER_PARTITION) <= blockedCharge.offset(), "committed past the blocked charge");
        } finally {
            billing.kill();
        }
        assertTrue(users.stream().noneMatch(u -> outcomes(u).contains("CHARGED")), "nothing charged before the kill");

        // same port and instance id: fences its predecessor's transactions; provider healthy again, postings too
        billing = start(Map.of());
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> users.stream().allMatch(u -> outcomes(u).contains("CHARGED")));
            final RunningApp restarted = billing;
            await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> due.plusMonths(1).toString()
                    .equals(BillingProcess.getAsAdmin(restarted.url() + "/subscriptions/" + u).json().get("paidUntil").asText())));
            // several more scheduler ticks and retry deliveries: still exactly one charge each
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> users.stream().allMatch(u -> count(outcomes(u), "CHARGED") == 1));
            Map<String, Long> charges = TopicRecords.readCommitted(Topics.BILLING_CHARGES).stream()
                    .filter(r -> users.contains(r.key())).collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(users.stream().collect(Collectors.toMap(u -> u, u -> 1L)), charges, "one billing.charges record each");

            // the ledger: the blocked user's charges in order, every charge applied once although the charges after
            // the blocked one came again (the group re-read them from its committed offset)
            await().atMost(Duration.ofSeconds(30)).until(() -> LedgerCharges.chargeIds(restarted.url(), blockedUser)
                    .equals(expected.get(blockedUser)));
            await().atMost(Duration.ofSeconds(30)).until(() -> LedgerCharges.committed(LEDGER_PARTITION) > lastLedgerOffset);
            Map<String, List<LedgerAccount>> written = LedgerCharges.written(expected.keySet());
            for (Map.Entry<String, List<String>> user : expected.entrySet()) {
                List<LedgerAccount> states = written.get(user.getKey());
                assertEquals(user.getValue().size(), states.size(), "one billing.ledger write per charge of " + user.getKey());
                assertEquals(user.getValue(), states.get(states.size() - 1).entries().stream()
                        .map(LedgerAccount.Entry::chargeId).toList(), user.getKey());
            }
        } finally {
            billing.close();
        }
    }

    /** A charge of {@code user}, noted in {@code expected} (the user's charge ids in the order sent). */
    private static Charge ledgerCharge(Map<String, List<String>> expected, String user, String id, String amount) {
        Charge charge = LedgerCharges.charge(user, user + "-" + id, amount);
        expected.computeIfAbsent(user, u -> new ArrayList<>()).add(charge.chargeId());
        return charge;
    }

    private RunningApp start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(BillingProcess.config(kafka, "e2e-renewals", callLog));
        config.putAll(extra);
        RunningApp app = RunningApp.start("billing-app", port, config);
        await().atMost(Duration.ofSeconds(60)).until(app::ready);
        return app;
    }

    private Set<String> retried() {
        return TopicRecords.readCommitted(Topics.BILLING_RENEWALS_RETRY_500).stream().map(ConsumerRecord::key)
                .collect(Collectors.toSet());
    }

    private List<String> outcomes(String user) {
        return BillingProcess.outcomes(callLog, user);
    }

    private static long count(List<String> outcomes, String outcome) {
        return BillingProcess.count(outcomes, outcome);
    }
}
