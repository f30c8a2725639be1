package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
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
    private static final String ADMIN_PASSWORD = "e2e-" + UUID.randomUUID();
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
                Http.Response created = Http.post(billing.url() + "/subscriptions", "application/json", """
                        {"userId":"%s","plan":"pro","price":4.99,"currency":"EUR","country":"ZZ","cardToken":"tok_ok",
                         "paidUntil":"%s"}""".formatted(user, due));
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
                    .equals(Http.get(billing.url() + "/subscriptions/" + u).json().get("paidUntil").asText())));
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(billing.url() + "/q/health/ready").status() == 200);
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
        Http.Response r = Http.put(billing.url() + "/admin/provider/switches", "admin", ADMIN_PASSWORD,
                "{\"failureRate\":" + failureRate + ",\"outage\":false,\"declinedCards\":[]}");
        assertEquals(200, r.status(), r.body());
    }

    private RunningApp start(String kafka) {
        Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka,
                "eventkit.instance-id", "e2e-broker-restart",
                "kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"),
                "kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"),
                "billing.provider.simulated.call-log", callLog.toString(),
                "billing.scheduler.every", "1s",
                "billing.scheduler.delay", "1s",
                // a renewal that ended in the DLQ (flaky provider, outage) is sent again soon
                "billing.scheduler.reemit-after", "5s",
                "billing.dedupe.lease", "5s",
                "BILLING_ADMIN_PASSWORD", ADMIN_PASSWORD));
        config.putAll(Map.of(
                "eventkit.topics", "reference.countries,reference.timezones,billing.subscriptions,billing.renewals,"
                        + "billing.renewals_retry_500,billing.renewals_retry_1000,billing.renewals_retry_2000,billing.renewals.dlq,"
                        + "billing.charges,billing.charge-claims,billing.charge-claims.store,billing.ledger,billing.ledger.skips",
                "mp.messaging.incoming.renewals.delayed-retry-topic.topics",
                "billing.renewals_retry_500,billing.renewals_retry_1000,billing.renewals_retry_2000",
                "mp.messaging.incoming.renewals.delayed-retry-topic.timeout", "20000"));
        RunningApp app = RunningApp.start("billing-app", "billing-app-broker-restart", port, config);
        await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(app.url() + "/q/health/ready").status() == 200);
        return app;
    }

    /** The outcomes of this user's provider calls, in order, from the call log file. */
    private List<String> outcomes(String user) {
        try {
            if (!Files.exists(callLog)) {
                return List.of();
            }
            return Files.readAllLines(callLog).stream().filter(l -> !l.isBlank()).map(RenewalsBrokerRestartTest::json)
                    .filter(c -> user.equals(c.get("userId").asText())).map(c -> c.get("outcome").asText()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(List<String> outcomes, String outcome) {
        return outcomes.stream().filter(outcome::equals).count();
    }

    private static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
