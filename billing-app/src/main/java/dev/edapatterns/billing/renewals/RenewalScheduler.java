package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Schedule and forget: every tick, one renewal command per due ACTIVE subscription to {@code billing.renewals} through
 * the channel {@value #CHANNEL} (so the connector's tracing, health and metrics cover it; acks=all, idempotent), keyed
 * by userId (one user's renewals stay in order on one partition), idempotency key {@code userId:period} where the
 * period is the {@code paidUntil} date being paid. It never waits for the outcome: a successful charge advances
 * {@code paidUntil}, so later ticks find nothing due. A command this instance sent less than
 * {@code billing.renewals.scheduler.reemit-after} ago is not sent again (it is still on its way through the retry topics); a
 * duplicate that does go out (two instances, a restart) is harmless: the charge is deduped by {@code userId:period}.
 * The command carries no card token: the processor reads it from the subscription when it charges.
 */
@Singleton
public class RenewalScheduler {

    public static final String CHANNEL = "renewals-out";
    /**
     * Renewals sent and not yet acknowledged by the broker. A tick takes a permit per renewal and the broker's ack
     * gives it back, so the emitter's buffer never holds more than this, whatever the number due: 100,000 renewals
     * due in one tick all go out, none dropped, at the broker's pace, the tick waiting for permits meanwhile (a
     * scheduler thread may block). The buffer is sized to the permits: it cannot overflow. Memory: at most this many
     * commands (~200 bytes each) in flight.
     */
    static final int MAX_IN_FLIGHT = 4096;

    private static final Logger LOG = Logger.getLogger(RenewalScheduler.class);

    private final CompactedStore<String, Subscription> subscriptions;
    private final DueDates dueDates;
    private final Clock clock;
    private final Duration reemitAfter;
    private final MutinyEmitter<RenewalCommand> emitter;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    /** Renewals sent by this instance, by idempotency key, until their period is paid (or the subscription changed). */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final AtomicLong emitted = new AtomicLong();

    RenewalScheduler(CompactedStore<String, Subscription> subscriptions, DueDates dueDates, Clock clock, BillingConfig config,
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = MAX_IN_FLIGHT)
            MutinyEmitter<RenewalCommand> emitter) {
        this.subscriptions = subscriptions;
        this.dueDates = dueDates;
        this.clock = clock;
        this.reemitAfter = config.renewals().scheduler().reemitAfter();
        this.emitter = emitter;
    }

    @Scheduled(identity = "renewal-scheduler", every = "${billing.renewals.scheduler.every}", delayed = "${billing.renewals.scheduler.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        tick();
    }

    /**
     * One tick: sends the due renewals and returns how many (acknowledged asynchronously; failures are logged and
     * sent again by the next tick). Returns once every one of them is handed to the channel.
     */
    public int tick() {
        if (!subscriptions.isLoaded()) {
            return 0; // a partial view would miss due subscriptions until the next tick: wait for the whole one
        }
        int count = tick(subscriptions.values()); // a pass over the live store: a copy of it would cost more
        sent.values().removeIf(r -> subscriptions.get(r.userId())
                .map(s -> s.status() != Subscription.Status.ACTIVE || !r.period().equals(s.paidUntil()))
                .orElse(true)); // paid, cancelled or gone: forget
        if (count > 0) {
            LOG.infof("Scheduler sent %d renewal(s)", count);
        }
        return count;
    }

    /** One tick over these subscriptions (the store's live values; tests pass a large synthetic set). */
    int tick(Iterable<Subscription> candidates) {
        Instant now = clock.instant();
        Predicate<Subscription> renewable = dueDates.renewableAt(now);
        int count = 0;
        for (Subscription s : candidates) {
            if (!renewable.test(s)) {
                continue;
            }
            String period = s.paidUntil().toString();
            String key = s.userId() + ":" + period;
            Sent last = sent.get(key);
            if (last != null && now.isBefore(last.at().plus(reemitAfter))) {
                continue;
            }
            if (!acquire()) {
                break; // shutting down: the next start's tick sends the rest
            }
            Sent mark = new Sent(s.userId(), s.paidUntil(), now);
            sent.put(key, mark);
            send(key, mark, new RenewalCommand(key, s.userId(), period, s.price(), s.currency(), now));
            count++;
        }
        emitted.addAndGet(count);
        return count;
    }

    private void send(String key, Sent mark, RenewalCommand command) {
        Message<RenewalCommand> message = Message.of(command)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(command.userId()).build());
        emitter.sendMessage(message).subscribe().with(ok -> inFlight.release(), e -> {
            inFlight.release();
            sent.remove(key, mark); // the next tick tries again
            LOG.warnf("Renewal %s not sent: %s", key, e.toString());
        });
    }

    private boolean acquire() {
        try {
            inFlight.acquire();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long emitted() {
        return emitted.get();
    }

    /** A renewal this instance sent: whose, which period, when. */
    private record Sent(String userId, LocalDate period, Instant at) {
    }
}
