package dev.edapatterns.billing.renewals;

import static dev.edapatterns.billing.BillingTestSupport.user;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The scheduler's channel under a burst: many more renewals due in one tick than the emitter buffers
 * ({@link RenewalScheduler#MAX_IN_FLIGHT}) all reach {@code billing.renewals}, none dropped, keyed by their user. The
 * stored subscriptions of these users are cancelled, so the processor reads each renewal and charges nothing: the test
 * measures the emission, not 20,000 charges.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class RenewalSchedulerBurstTest {

    private static final int DUE = 20_000;
    private static final LocalDate PAID_UNTIL = LocalDate.parse("2030-01-10");

    @Inject
    RenewalScheduler scheduler;
    @Inject
    RenewalProcessor processor;
    @Inject
    CompactedStore<String, Subscription> subscriptions;

    @Test
    void aTickWithFarMoreDueThanTheBufferSendsEveryOneKeyedByUser() throws Exception {
        String prefix = user("burst") + "-";
        List<Subscription> due = IntStream.range(0, DUE).mapToObj(i -> subscription(prefix + i, Subscription.Status.ACTIVE))
                .toList();
        try (KafkaProducer<String, Subscription> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                Topics.BILLING_SUBSCRIPTIONS.keySerializer(), Topics.BILLING_SUBSCRIPTIONS.valueSerializer())) {
            for (Subscription s : due) {
                producer.send(new ProducerRecord<>(Topics.BILLING_SUBSCRIPTIONS.name(), s.userId(),
                        subscription(s.userId(), Subscription.Status.CANCELLED)));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> due.stream().allMatch(s -> subscriptions.get(s.userId()).isPresent()));
        long cancelledBefore = processor.stats().cancelled();

        assertEquals(DUE, scheduler.tick(due), "all due ones sent in one tick");
        assertTrue(DUE > 4 * RenewalScheduler.MAX_IN_FLIGHT, "far more than the emitter's buffer");

        await().atMost(Duration.ofSeconds(90)).until(() -> processor.stats().cancelled() >= cancelledBefore + DUE);
        Map<String, RenewalCommand> sent = TopicRecords.readCommitted(Topics.BILLING_RENEWALS).stream()
                .filter(r -> r.key().startsWith(prefix))
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> {
                    throw new AssertionError("sent twice: " + a);
                }));
        assertEquals(due.stream().map(Subscription::userId).collect(Collectors.toSet()), sent.keySet(), "none dropped");
        sent.forEach((key, command) -> assertEquals(key, command.userId(), "keyed by userId"));
        assertEquals(due.stream().collect(Collectors.toMap(Subscription::userId, s -> s.userId() + ":" + PAID_UNTIL)),
                sent.values().stream().collect(Collectors.toMap(RenewalCommand::userId, RenewalCommand::idempotencyKey)));
    }

    private static Subscription subscription(String user, Subscription.Status status) {
        return new Subscription(user, "pro", new BigDecimal("9.90"), "EUR", "ZZ", "tok_ok", PAID_UNTIL, status);
    }
}
