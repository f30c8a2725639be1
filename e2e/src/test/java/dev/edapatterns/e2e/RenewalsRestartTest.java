package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;


import dev.edapatterns.contracts.Topics;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 4 across a billing-app process killed mid-flight: during a provider outage the renewals circulate through
 * the retry topics, billing is killed (-9) and restarted (which also ends the outage: the simulated provider's switches
 * live in the process), and every due subscription is charged exactly once, counted in the provider's call log, a
 * file both processes append to.
 */
@ResourceLock(BrokerGroups.BILLING_APP)
class RenewalsRestartTest {

    private static final int USERS = 12;
    private final String kafka = TestKafka.bootstrapServers();
    private final Path callLog = Path.of("target", "provider-calls-" + UUID.randomUUID() + ".jsonl").toAbsolutePath();
    private final int port = KafkaBroker.freePort();

    @Test
    void outageKillAndRestartStillChargeEveryDueSubscriptionExactlyOnce() throws Exception {
        LocalDate due = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "restart-" + i + "-" + UUID.randomUUID().toString()
                .substring(0, 6)).toList();
        RunningApp billing = start();
        try {
            assertEquals(200, BillingProcess.switches(billing.url(), 0, true).status());
            for (String user : users) {
                Http.Response created = BillingProcess.subscribe(billing.url(), user, due);
                assertEquals(201, created.status(), created.body());
            }
            // the scheduler (every second here) sends the renewals; every attempt fails while the outage lasts
            await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> outcomes(u).contains("FAILED")));
            await().atMost(Duration.ofSeconds(30)).until(() -> retried().containsAll(users));
        } finally {
            billing.kill();
        }
        assertTrue(users.stream().noneMatch(u -> outcomes(u).contains("CHARGED")), "nothing charged before the kill");

        billing = start(); // same port and instance id: fences its predecessor's transactions; provider healthy again
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
        } finally {
            billing.close();
        }
    }

    private RunningApp start() {
        Map<String, String> config = BillingProcess.config(kafka, "e2e-renewals", callLog);
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
