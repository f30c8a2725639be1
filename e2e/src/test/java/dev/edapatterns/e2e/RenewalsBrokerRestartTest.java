package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;


import dev.edapatterns.contracts.Topics;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 4 across a broker crash: while renewals flow (a flaky provider sends some through the retry topics) the
 * broker process is killed (-9) and started again on the same port and data dir. The billing-app process
 * is never restarted: it recovers by itself (readiness UP again) and every due subscription is charged exactly once,
 * counted in the provider's call log.
 */
class RenewalsBrokerRestartTest {

    private static final int USERS = 16;
    private final Path callLog = Path.of("target", "provider-calls-" + UUID.randomUUID() + ".jsonl").toAbsolutePath();
    private final int port = KafkaBroker.freePort();

    @Test
    void brokerKilledWhileRenewalsFlowStillChargesEveryDueSubscriptionExactlyOnce() throws IOException {
        LocalDate due = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "brk-" + i + "-" + UUID.randomUUID().toString()
                .substring(0, 6)).toList();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-renewals-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir);
             RunningApp billing = start(broker.bootstrapServers())) {
            // a flaky provider: renewals keep flowing through the retry topics for a while
            switches(billing, 0.6);
            for (String user : users) {
                Http.Response created = BillingProcess.subscribe(billing.url(), user, due);
                assertEquals(201, created.status(), created.body());
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> users.stream().filter(u -> outcomes(u).contains("CHARGED")).count() >= USERS / 4);
            long t0 = System.nanoTime();
            broker.kill();
            long chargedAtKill = users.stream().filter(u -> outcomes(u).contains("CHARGED")).count();
            ImporterCluster.log("broker killed with %d/%d charged", chargedAtKill, USERS);
            assertTrue(chargedAtKill < USERS, "renewals were still flowing: " + chargedAtKill + "/" + USERS);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(billing::isAlive); // + the restart's own seconds
            broker.launch();
            ImporterCluster.log("broker back after %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            switches(billing, 0); // the provider recovers too: everything left is charged on its next attempt

            await().atMost(Duration.ofSeconds(90)).until(() -> users.stream().allMatch(u -> outcomes(u).contains("CHARGED")));
            ImporterCluster.log("all charged %d ms after the kill", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            await().atMost(Duration.ofSeconds(30)).until(() -> users.stream().allMatch(u -> due.plusMonths(1).toString()
                    .equals(BillingProcess.getAsAdmin(billing.url() + "/subscriptions/" + u).json().get("paidUntil").asText())));
            await().atMost(Duration.ofSeconds(30)).until(billing::ready);
            // more scheduler ticks and retry deliveries: still exactly one charge each
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> users.stream().allMatch(u -> count(outcomes(u), "CHARGED") == 1));
            KafkaClients kafka = KafkaClients.of(broker.bootstrapServers()).with(TestKafka.FAST_FAILOVER);
            Map<String, Long> charges = TopicRecords.readCommitted(kafka, Topics.BILLING_CHARGES).stream()
                    .filter(r -> users.contains(r.key())).collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertEquals(users.stream().collect(Collectors.toMap(u -> u, u -> 1L)), charges, "one billing.charges record each");
        }
    }

    private void switches(RunningApp billing, double failureRate) {
        Http.Response r = BillingProcess.switches(billing.url(), failureRate, false);
        assertEquals(200, r.status(), r.body());
    }

    private RunningApp start(String kafka) {
        Map<String, String> config = BillingProcess.config(kafka, "e2e-broker-restart", callLog);
        RunningApp app = RunningApp.start("billing-app", "billing-app-broker-restart", port, config);
        await().atMost(Duration.ofSeconds(60)).until(app::ready);
        return app;
    }

    private List<String> outcomes(String user) {
        return BillingProcess.outcomes(callLog, user);
    }

    private static long count(List<String> outcomes, String outcome) {
        return BillingProcess.count(outcomes, outcome);
    }
}
