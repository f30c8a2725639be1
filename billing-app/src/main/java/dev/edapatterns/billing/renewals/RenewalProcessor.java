package dev.edapatterns.billing.renewals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.provider.ActivePaymentProvider;
import dev.edapatterns.billing.provider.CardDeclinedException;
import dev.edapatterns.billing.provider.ChargeReceipt;
import dev.edapatterns.billing.provider.ChargeRequest;
import dev.edapatterns.billing.renewals.ChargeDedupe.Decision;
import dev.edapatterns.billing.subscriptions.SubscriptionWriter;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes {@code billing.renewals} and its retry topics (SmallRye {@code delayed-retry-topic}) and charges:
 * claim {@code userId:period} in the dedupe store, call the provider, complete (which writes {@code billing.charges})
 * and advance {@code paidUntil} past today. Outcomes:
 * <ul>
 * <li>transient provider error (or the dedupe store not answering): nack -> the next retry topic, after the last
 * one the DLQ;</li>
 * <li>decline: straight to the DLQ, subscription PAST_DUE;</li>
 * <li>no subscription (or none with a card) for the user: straight to the DLQ ({@link NoCardOnFileException});</li>
 * <li>subscription cancelled since the renewal was scheduled: ack, nothing charged (outcome {@code cancelled});</li>
 * <li>a record that is not a renewal (poison): straight to the DLQ, the consumer goes on;</li>
 * <li>already charged (a second tick, another instance, a redrive): ack, nothing charged.</li>
 * </ul>
 * Records of one user may be reordered by retries: a retried renewal comes back after newer ones of the same user.
 * That is the point of non-blocking retry; the dedupe makes the order irrelevant for charging. The card token is read
 * from the subscription at charge time ({@link CardOnFile}): renewal commands, hence retry topics and the DLQ, carry none.
 */
@ApplicationScoped
public class RenewalProcessor {

    public static final String CHANNEL = "renewals";
    /** The worker pool renewals run on (its size: smallrye.messaging.worker.renewal-workers.max-concurrency). */
    static final String WORKERS = "renewal-workers";

    private static final Logger LOG = Logger.getLogger(RenewalProcessor.class);

    private final ChargeDedupe dedupe;
    private final CardOnFile cards;
    private final ActivePaymentProvider provider;
    private final CompactedStore<String, Subscription> subscriptions;
    private final SubscriptionWriter writer;
    private final DueDates dueDates;
    private final Clock clock;
    private final String dlqTopic;
    /** Striped by userId: more stripes than workers, so unrelated users rarely wait for each other. */
    private final Lock[] userLocks = IntStream.range(0, 1024).mapToObj(i -> new ReentrantLock()).toArray(Lock[]::new);
    private final AtomicLong charged = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();

    RenewalProcessor(ChargeDedupe dedupe, CardOnFile cards, ActivePaymentProvider provider,
            CompactedStore<String, Subscription> subscriptions, SubscriptionWriter writer, DueDates dueDates, Clock clock,
            @ConfigProperty(name = "mp.messaging.incoming." + CHANNEL + ".dead-letter-queue.topic") String dlqTopic) {
        this.dedupe = dedupe;
        this.cards = cards;
        this.provider = provider;
        this.subscriptions = subscriptions;
        this.writer = writer;
        this.dueDates = dueDates;
        this.clock = clock;
        this.dlqTopic = dlqTopic;
    }

    /**
     * Blocking (the provider call and the store waits stay off the event loop) and unordered: up to
     * {@code smallrye.messaging.worker.renewal-workers.max-concurrency} renewals at a time. Each one spends most of its
     * time waiting for Kafka round trips (claim, complete, subscription write), so one at a time would cap the channel
     * at a few renewals per second. Order is not needed: renewals of different users are independent, and two of
     * the same user run one after the other ({@link #charge}; the second finds the period CHARGED). The connector
     * commits an offset only when every record before it is acked (throttled strategy).
     */
    @Incoming(CHANNEL)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> process(Message<byte[]> message) {
        RenewalCommand command;
        try {
            command = Topics.BILLING_RENEWALS.valueDeserializer().deserialize(Topics.BILLING_RENEWALS.name(), message.getPayload());
            if (command == null || command.userId() == null || command.period() == null || command.amount() == null) {
                throw new IllegalArgumentException("not a renewal command");
            }
        } catch (RuntimeException e) {
            LOG.warnf("Poison record on %s sent to the DLQ: %s", source(message), e.toString());
            return deadLetter(message, e);
        }
        try {
            charge(command);
            return message.ack();
        } catch (CardDeclinedException e) {
            markPastDue(command);
            LOG.infof("Renewal %s declined: DLQ, subscription PAST_DUE", command.idempotencyKey());
            return deadLetter(message, e);
        } catch (NoCardOnFileException e) {
            LOG.warnf("Renewal %s has no card on file: DLQ", command.idempotencyKey());
            return deadLetter(message, e);
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.infof("Renewal %s failed (%s): retried through the retry topics", command.idempotencyKey(), e.toString());
            return message.nack(e, failureMetadata(message, e, null));
        }
    }

    /**
     * One attempt per user at a time in this process (the same user's renewals wait here, others go on). Concurrent
     * attempts of one user would race for the claim: under load an attempt can take longer than the lease from claim
     * to complete, and a second attempt would then take the claim over and charge again.
     */
    private void charge(RenewalCommand command) {
        Lock lock = userLocks[Math.floorMod(command.userId().hashCode(), userLocks.length)];
        lock.lock();
        try {
            chargeOnce(command);
        } finally {
            lock.unlock();
        }
    }

    private void chargeOnce(RenewalCommand command) {
        if (dedupe.isCharged(command.userId(), command.period())) {
            duplicates.incrementAndGet();
            advance(command); // finishes a charge whose subscription write failed (a no-op when already advanced)
            return;
        }
        Subscription subscription = cards.subscription(command.userId());
        if (subscription.status() == Subscription.Status.CANCELLED) {
            cancelled.incrementAndGet(); // cancelled after the renewal was scheduled: the user owes nothing more
            LOG.infof("Renewal %s not charged: the subscription is cancelled", command.idempotencyKey());
            return;
        }
        String claimId = dedupe.newClaimId();
        Decision decision = dedupe.claim(command.userId(), command.period(), claimId);
        switch (decision) {
            case ALREADY_CHARGED -> {
                duplicates.incrementAndGet();
                advance(command);
                return;
            }
            case HELD_ELSEWHERE -> throw new ChargeInProgressException(command.idempotencyKey());
            case GRANTED -> {
            }
        }
        ChargeReceipt receipt;
        try {
            receipt = provider.get().charge(new ChargeRequest(command.idempotencyKey(), command.userId(), command.amount(),
                    command.currency(), subscription.cardToken()));
        } catch (RuntimeException e) {
            // the provider did not charge: free the period for the retry (if this fails too, the lease frees it)
            try {
                dedupe.release(command.userId(), command.period(), claimId);
            } catch (RuntimeException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
        Charge charge = new Charge(receipt.chargeId(), command.userId(), command.period(), command.amount(), command.currency(),
                receipt.chargedAt());
        // a failure from here on is retried: the retry finds the period CHARGED (or completes it) and charges nothing
        dedupe.complete(command.userId(), command.period(), claimId, charge);
        charged.incrementAndGet();
        advance(command);
    }

    /**
     * paidUntil moves to the first period end after today ({@link DueDates#nextPaidUntil}: one month for a renewal on
     * time, more for an overdue one, which is charged once), unless the subscription changed meanwhile (cancelled,
     * another period).
     */
    private void advance(RenewalCommand command) {
        subscriptions.get(command.userId())
                .filter(s -> s.status() != Subscription.Status.CANCELLED && s.paidUntil().toString().equals(command.period()))
                .ifPresent(s -> writer.write(new Subscription(s.userId(), s.plan(), s.price(), s.currency(), s.country(),
                        s.cardToken(), dueDates.nextPaidUntil(s), Subscription.Status.ACTIVE)));
    }

    private void markPastDue(RenewalCommand command) {
        subscriptions.get(command.userId())
                .filter(s -> s.status() == Subscription.Status.ACTIVE && s.paidUntil().toString().equals(command.period()))
                .ifPresent(s -> writer.write(new Subscription(s.userId(), s.plan(), s.price(), s.currency(), s.country(),
                        s.cardToken(), s.paidUntil(), Subscription.Status.PAST_DUE)));
    }

    private CompletionStage<Void> deadLetter(Message<byte[]> message, Throwable cause) {
        deadLettered.incrementAndGet();
        return message.nack(cause, failureMetadata(message, cause, dlqTopic));
    }

    /**
     * Headers for the record the failure strategy writes: ours at the first failure only (SmallRye rewrites its own
     * delayed-retry-* on every hop and copies the incoming headers, so ours travel on unchanged), plus the cause of
     * this attempt (the last one wins when read). A target topic overrides SmallRye's choice: straight to the DLQ.
     */
    private Metadata failureMetadata(Message<byte[]> message, Throwable cause, String target) {
        IncomingKafkaRecordMetadata<?, ?> in = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        Headers headers = new RecordHeaders();
        String now = clock.instant().toString();
        int attempts = 1;
        if (in != null) {
            Headers incoming = in.getHeaders();
            if (incoming.lastHeader(DeadLetterQueue.ORIGINAL_TOPIC) == null) {
                add(headers, DeadLetterQueue.ORIGINAL_TOPIC, in.getTopic());
                add(headers, DeadLetterQueue.ORIGINAL_PARTITION, Integer.toString(in.getPartition()));
                add(headers, DeadLetterQueue.ORIGINAL_OFFSET, Long.toString(in.getOffset()));
                add(headers, DeadLetterQueue.FIRST_FAILURE_AT, now);
            }
            var previous = incoming.lastHeader(DeadLetterQueue.ATTEMPTS);
            attempts = previous == null ? 1 : Integer.parseInt(new String(previous.value(), StandardCharsets.UTF_8)) + 1;
        }
        add(headers, DeadLetterQueue.EXCEPTION_CLASS, cause.getClass().getName());
        add(headers, DeadLetterQueue.EXCEPTION_MESSAGE, String.valueOf(cause.getMessage()));
        add(headers, DeadLetterQueue.ATTEMPTS, Integer.toString(attempts));
        add(headers, DeadLetterQueue.LAST_FAILURE_AT, now);
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<Object> out = OutgoingKafkaRecordMetadata.builder()
                .withHeaders(headers);
        if (target != null) {
            out.withTopic(target);
        }
        return Metadata.of(out.build());
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String source(Message<byte[]> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset()).orElse("?");
    }

    public Stats stats() {
        return new Stats(charged.get(), duplicates.get(), failed.get(), deadLettered.get(), cancelled.get());
    }

    public record Stats(long charged, long duplicates, long failed, long deadLettered, long cancelled) {
    }

    /** Another claim holds the period right now (another instance charging it): try again later. */
    public static class ChargeInProgressException extends RuntimeException {
        ChargeInProgressException(String key) {
            super("a charge of " + key + " is in progress elsewhere");
        }
    }
}
