package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.billing.provider.ActivePaymentProvider;
import dev.edapatterns.billing.provider.CardDeclinedException;
import dev.edapatterns.billing.provider.ChargeReceipt;
import dev.edapatterns.billing.provider.ChargeRequest;
import dev.edapatterns.billing.renewals.ChargeDedupe.ClaimLostException;
import dev.edapatterns.billing.renewals.ChargeDedupe.Decision;
import dev.edapatterns.billing.subscriptions.SubscriptionWriter;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * Handles one record of {@code billing.renewals} or its retry topics ({@link RenewalConsumer} feeds it, one user at a
 * time) and charges: claim {@code userId:period} in the dedupe store, call the provider, complete (which writes
 * {@code billing.charges}) and advance {@code paidUntil} past today. Outcomes:
 * <ul>
 * <li>transient provider error (or the dedupe store not answering): to the next retry topic, after the last one the
 * DLQ ({@link RenewalRetries});</li>
 * <li>decline: straight to the DLQ, subscription PAST_DUE;</li>
 * <li>no subscription (or none with a card) for the user: straight to the DLQ ({@link NoCardOnFileException});</li>
 * <li>subscription cancelled since the renewal was scheduled: done, nothing charged (outcome {@code cancelled});</li>
 * <li>a record that is not a renewal (poison): straight to the DLQ, the consumer goes on;</li>
 * <li>already charged (a second tick, another instance, a redrive): done, nothing charged;</li>
 * <li>the claim was taken over after its lease expired (this attempt stalled): fenced, nothing recorded (outcome
 * {@code fenced}, logged as an error for reconciliation).</li>
 * </ul>
 * No lock: the consumer never runs two records of one user at once, in this process or (partition N of every
 * renewal topic on one member of the group) in another. The claim lease fences what that cannot rule out: an attempt
 * still running on a member that lost its partitions. A retried renewal comes back after newer ones of the same
 * user (non-blocking retry); the dedupe makes the order irrelevant for charging. The card token is read from the
 * subscription at charge time ({@link CardOnFile}): renewal commands, hence retry topics and the DLQ, carry none.
 */
@Singleton
public class RenewalProcessor {

    private static final Logger LOG = Logger.getLogger(RenewalProcessor.class);

    private final ChargeDedupe dedupe;
    private final CardOnFile cards;
    private final ActivePaymentProvider provider;
    private final CompactedStore<String, Subscription> subscriptions;
    private final SubscriptionWriter writer;
    private final DueDates dueDates;
    private final Clock clock;
    private final RenewalRetries retries;
    /** An attempt calls the provider only while this much of its lease is left: time for the call to end in it. */
    private final Duration providerWindow;
    private final AtomicLong charged = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();

    RenewalProcessor(ChargeDedupe dedupe, CardOnFile cards, ActivePaymentProvider provider,
            CompactedStore<String, Subscription> subscriptions, SubscriptionWriter writer, DueDates dueDates, Clock clock,
            RenewalRetries retries, BillingConfig config) {
        this.dedupe = dedupe;
        this.cards = cards;
        this.provider = provider;
        this.subscriptions = subscriptions;
        this.writer = writer;
        this.dueDates = dueDates;
        this.clock = clock;
        this.retries = retries;
        this.providerWindow = config.renewals().dedupe().lease().dividedBy(2);
    }

    /**
     * One renewal record, to its end: charged, deduped, cancelled, or written to a retry topic or the DLQ. Throws only
     * when that write failed: the record is then not done and the consumer tries it again (its user waits).
     */
    public void process(ConsumerRecord<String, byte[]> record) {
        RenewalCommand command;
        try {
            command = Topics.BILLING_RENEWALS.valueDeserializer().deserialize(Topics.BILLING_RENEWALS.name(), record.value());
            if (command == null || command.userId() == null || command.period() == null || command.amount() == null) {
                throw new IllegalArgumentException("not a renewal command");
            }
        } catch (RuntimeException e) {
            LOG.warnf("Poison record on %s-%d@%d sent to the DLQ: %s", record.topic(), record.partition(), record.offset(),
                    e.toString());
            deadLetter(record, e);
            return;
        }
        try {
            chargeOnce(command);
        } catch (CardDeclinedException e) {
            markPastDue(command);
            LOG.infof("Renewal %s declined: DLQ, subscription PAST_DUE", command.idempotencyKey());
            deadLetter(record, e);
        } catch (NoCardOnFileException e) {
            LOG.warnf("Renewal %s has no card on file: DLQ", command.idempotencyKey());
            deadLetter(record, e);
        } catch (ClaimLostException e) {
            fenced.incrementAndGet();
            LOG.errorf("Renewal %s fenced: %s", command.idempotencyKey(), e.getMessage());
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.infof("Renewal %s failed (%s): retried through the retry topics", command.idempotencyKey(), e.toString());
            retries.retry(record, e);
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
        Instant claimedAt = clock.instant();
        Decision decision = dedupe.claim(command.userId(), command.period(), claimId, claimedAt);
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
            if (clock.instant().isAfter(claimedAt.plus(providerWindow))) {
                // the claim took too long: the provider call could outlast the lease and overlap a takeover
                throw new ChargeInProgressException(command.idempotencyKey() + " (claim too old to charge on)");
            }
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
        // a failure from here on is retried: the retry finds the period CHARGED (or completes it) and charges nothing;
        // a claim taken over meanwhile (lease expired) cannot complete: ClaimLostException
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

    private void deadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
        deadLettered.incrementAndGet();
        retries.deadLetter(record, cause);
    }

    public Stats stats() {
        return new Stats(charged.get(), duplicates.get(), failed.get(), deadLettered.get(), cancelled.get(), fenced.get());
    }

    public record Stats(long charged, long duplicates, long failed, long deadLettered, long cancelled, long fenced) {
    }

    /** Another claim holds the period right now (another instance charging it), or ours is too old: try again later. */
    public static class ChargeInProgressException extends RuntimeException {
        ChargeInProgressException(String key) {
            super("a charge of " + key + " is in progress elsewhere");
        }
    }
}
