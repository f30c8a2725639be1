package dev.edapatterns.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.eventkit.testing.TestKafka;

/** billing-app as a process in the renewal tests: its configuration and the simulated provider's call log file. */
final class BillingProcess {

    private BillingProcess() {
    }

    /** Creates (or replaces) a subscription as billing-admin, who acts for any user: the users here are not customers. */
    static Http.Response subscribe(String url, String user, LocalDate paidUntil) {
        return Http.as(Http.ADMIN).post(url + "/subscriptions", "application/json", """
                {"userId":"%s","plan":"pro","price":4.99,"currency":"EUR","country":"ZZ","cardToken":"tok_ok",
                 "paidUntil":"%s"}""".formatted(user, paidUntil));
    }

    /** A GET as billing-admin (subscriptions and ledgers are their owner's or billing-admin's only). */
    static Http.Response getAsAdmin(String url) {
        return Http.as(Http.ADMIN).get(url);
    }

    /** Sets the simulated provider's switches as billing-admin. */
    static Http.Response switches(String url, double failureRate, boolean outage) {
        return Http.as(Http.ADMIN).put(url + "/admin/provider/switches",
                "{\"failureRate\":" + failureRate + ",\"outage\":" + outage + ",\"declinedCards\":[]}");
    }

    /**
     * Fast failover, a scheduler ticking every second that sends a renewal again 5 s after it ended in the DLQ,
     * 5 s claim leases (a killed process's claims expire soon) and the short test retry topics (the users' passwords
     * come with every {@link RunningApp}).
     */
    static Map<String, String> config(String kafka, String instanceId, Path callLog) {
        Map<String, String> config = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka,
                "eventkit.instance-id", instanceId,
                "kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"),
                "kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"),
                "billing.provider.simulated.call-log", callLog.toString(),
                "billing.renewals.scheduler.every", "1s",
                "billing.renewals.scheduler.delay", "1s",
                "billing.renewals.scheduler.reemit-after", "5s",
                "billing.renewals.dedupe.lease", "5s"));
        config.putAll(Map.of(
                "eventkit.topics", "reference.countries,reference.timezones,billing.subscriptions,billing.renewals,"
                        + "billing.renewals_retry_500,billing.renewals_retry_1000,billing.renewals_retry_2000,billing.renewals.dlq,"
                        + "billing.charges,billing.charge-claims,billing.charge-claims.store,billing.ledger,billing.ledger.skips,"
                        + "billing.renewals.dlq.redrives",
                "billing.renewals.retry.topics",
                "billing.renewals_retry_500,billing.renewals_retry_1000,billing.renewals_retry_2000",
                "billing.renewals.retry.timeout", "20s"));
        return config;
    }

    /** The outcomes of this user's provider calls, in order, from the call log file. */
    static List<String> outcomes(Path callLog, String user) {
        try {
            if (!Files.exists(callLog)) {
                return List.of();
            }
            return Files.readAllLines(callLog).stream().filter(l -> !l.isBlank()).map(BillingProcess::json)
                    .filter(c -> user.equals(c.get("userId").asText())).map(c -> c.get("outcome").asText()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long count(List<String> outcomes, String outcome) {
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
