package dev.edapatterns.billing.renewals;

import static dev.edapatterns.billing.BillingTestSupport.calls;
import static dev.edapatterns.billing.BillingTestSupport.chargeRecords;
import static dev.edapatterns.billing.BillingTestSupport.charges;
import static dev.edapatterns.billing.BillingTestSupport.subscribe;
import static dev.edapatterns.billing.BillingTestSupport.user;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.billing.TestClock;
import dev.edapatterns.billing.provider.ProviderCall;
import dev.edapatterns.billing.provider.ProviderSwitches;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.billing.renewals.ChargeDedupe.ClaimLostException;
import dev.edapatterns.billing.renewals.ChargeDedupe.Decision;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Renewals without a lock: the provider's call log (wall-clock start and end of each call) shows one user's calls
 * never overlapping, from the main topic and a retry topic alike, while different users' calls do; and a claim taken
 * over after its lease expired cannot complete, so the user is charged once.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class RenewalOrderingTest {

    private static final LocalDate DUE = LocalDate.parse("2030-01-10");

    @Inject
    SimulatedPaymentProvider provider;
    @Inject
    RenewalScheduler scheduler;
    @Inject
    RenewalProcessor processor;
    @Inject
    ChargeDedupe dedupe;
    @Inject
    TestClock clock;
    @Inject
    BillingConfig config;

    @BeforeEach
    @AfterEach
    void reset() {
        clock.reset();
        provider.switches(ProviderSwitches.healthy());
        provider.latency(Duration.ZERO);
    }

    @Test
    void oneUsersProviderCallsNeverOverlapWhileDifferentUsersCallsDo() throws Exception {
        provider.latency(Duration.ofMillis(60)); // long enough for overlaps to show if the consumer allowed them
        List<String> users = IntStream.range(0, 6).mapToObj(i -> user("ordered" + i)).toList();
        users.forEach(u -> subscribe(u, "ZZ", "tok_ok", DUE));
        List<String> periods = List.of("2031-01-10", "2031-02-10", "2031-03-10");
        try (KafkaProducer<String, RenewalCommand> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                Topics.BILLING_RENEWALS.keySerializer(), Topics.BILLING_RENEWALS.valueSerializer())) {
            for (String u : users) {
                int partition = -1;
                for (String period : periods) {
                    RecordMetadata md = producer.send(new ProducerRecord<>(Topics.BILLING_RENEWALS.name(), u, command(u, period)))
                            .get(30, TimeUnit.SECONDS);
                    partition = md.partition();
                }
                // a retry of another period on the same partition number of a retry topic: due in 0.5 s, same user
                producer.send(new ProducerRecord<>(Topics.BILLING_RENEWALS_RETRY_500.name(), partition, u,
                        command(u, "2031-04-10"))).get(30, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> users.stream().allMatch(u -> charges(provider, u).size() == 4));

        List<ProviderCall> all = new ArrayList<>();
        for (String u : users) {
            List<ProviderCall> ofUser = calls(provider, u).stream().sorted(Comparator.comparing(ProviderCall::startedAt)).toList();
            assertEquals(4, ofUser.size(), u + ": " + ofUser);
            for (int i = 1; i < ofUser.size(); i++) {
                assertTrue(!ofUser.get(i).startedAt().isBefore(ofUser.get(i - 1).endedAt()),
                        u + "'s calls overlap: " + ofUser.get(i - 1) + " and " + ofUser.get(i));
            }
            all.addAll(ofUser);
        }
        boolean overlapAcrossUsers = all.stream().anyMatch(a -> all.stream().anyMatch(b -> !a.userId().equals(b.userId())
                && a.startedAt().isBefore(b.endedAt()) && b.startedAt().isBefore(a.endedAt())));
        assertTrue(overlapAcrossUsers, "different users were charged at the same time");
    }

    @Test
    void aClaimTakenOverAfterItsLeaseExpiredCannotCompleteAndTheUserIsChargedOnce() {
        String user = user("takeover");
        String period = DUE.toString();
        subscribe(user, "ZZ", "tok_ok", DUE);
        Instant t0 = clock.instant();
        long failedBefore = processor.stats().failed();
        // another process claims the period, then stalls (GC pause, lost partition) without charging
        assertEquals(Decision.GRANTED, dedupe.claim(user, period, "zombie-1", t0));

        scheduler.tick();
        // its lease is live: this process does not charge, the renewal goes to the retry topics
        await().atMost(Duration.ofSeconds(30)).until(() -> processor.stats().failed() > failedBefore);
        assertEquals(List.of(), calls(provider, user));

        clock.set(t0.plus(config.renewals().dedupe().lease()).plusSeconds(1)); // the lease has expired
        await().atMost(Duration.ofSeconds(30)).until(() -> charges(provider, user).size() == 1 && dedupe.isCharged(user, period));
        ChargeClaims.PeriodClaim taken = dedupe.current(user, period).orElseThrow();
        assertNotEquals("zombie-1", taken.claimId(), "taken over");

        // the stalled process wakes up and tries to record a charge under its old claim: fenced
        Charge late = new Charge("ch_zombie", user, period, new BigDecimal("9.90"), "EUR", clock.instant());
        ClaimLostException fenced = assertThrows(ClaimLostException.class, () -> dedupe.complete(user, period, "zombie-1", late));
        assertTrue(fenced.getMessage().contains("zombie-1"), fenced.getMessage());
        assertEquals(taken, dedupe.current(user, period).orElseThrow(), "the charge recorded stays the taker's");

        await().atMost(Duration.ofSeconds(10)).until(() -> chargeRecords(user).size() == 1);
        assertEquals(Set.of(charges(provider, user).get(0).chargeId()),
                Set.copyOf(chargeRecords(user).stream().map(Charge::chargeId).toList()), "one billing.charges record, the taker's");
        assertEquals(1, charges(provider, user).size(), "charged once");
    }

    private RenewalCommand command(String user, String period) {
        return new RenewalCommand(user + ":" + period, user, period, new BigDecimal("9.90"), "EUR", clock.instant());
    }
}
