package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.quarkus.scheduler.Scheduled;

/**
 * Schedule and forget: every tick, one renewal command per due ACTIVE subscription to {@code billing.renewals}, keyed
 * by userId (one user's renewals stay in order on one partition), idempotency key {@code userId:period} where the
 * period is the {@code paidUntil} date being paid. It never waits for the outcome: a successful charge advances
 * {@code paidUntil}, so later ticks find nothing due. A command this instance sent less than
 * {@code billing.renewals.scheduler.reemit-after} ago is not sent again (it is still on its way through the retry topics); a
 * duplicate that does go out (two instances, a restart) is harmless: the charge is deduped by {@code userId:period}.
 * The command carries no card token: the processor reads it from the subscription when it charges.
 */
@Singleton
public class RenewalScheduler {

    private static final Logger LOG = Logger.getLogger(RenewalScheduler.class);

    private final Topic<String, RenewalCommand> topic = Topics.BILLING_RENEWALS;
    private final CompactedStore<String, Subscription> subscriptions;
    private final DueDates dueDates;
    private final Clock clock;
    private final Duration reemitAfter;
    private final KafkaProducer<String, RenewalCommand> producer;
    private final Map<String, Instant> sent = new ConcurrentHashMap<>();
    private final AtomicLong emitted = new AtomicLong();

    RenewalScheduler(CompactedStore<String, Subscription> subscriptions, DueDates dueDates, Clock clock, KafkaClients clients,
            BillingConfig config) {
        this.subscriptions = subscriptions;
        this.dueDates = dueDates;
        this.clock = clock;
        this.reemitAfter = config.renewals().scheduler().reemitAfter();
        this.producer = new KafkaProducer<>(clients.producer(Map.of()), topic.keySerializer(), topic.valueSerializer());
    }

    @Scheduled(identity = "renewal-scheduler", every = "${billing.renewals.scheduler.every}", delayed = "${billing.renewals.scheduler.delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        tick();
    }

    /** One tick: sends the due renewals and returns how many (sent asynchronously; failures are logged). */
    public int tick() {
        if (!subscriptions.isLoaded()) {
            return 0; // a partial view would miss due subscriptions until the next tick: wait for the whole one
        }
        Instant now = clock.instant();
        int count = 0;
        for (Subscription s : subscriptions.snapshot().values()) {
            if (s.status() != Subscription.Status.ACTIVE || s.paidUntil() == null || !dueDates.isDue(s, now)) {
                continue;
            }
            String period = s.paidUntil().toString();
            String key = s.userId() + ":" + period;
            Instant last = sent.get(key);
            if (last != null && now.isBefore(last.plus(reemitAfter))) {
                continue;
            }
            sent.put(key, now);
            RenewalCommand command = new RenewalCommand(key, s.userId(), period, s.price(), s.currency(), now);
            producer.send(new ProducerRecord<>(topic.name(), s.userId(), command), (md, e) -> {
                if (e != null) {
                    sent.remove(key, now); // the next tick tries again
                    LOG.warnf("Renewal %s not sent: %s", key, e.toString());
                }
            });
            count++;
        }
        sent.keySet().removeIf(k -> subscriptions.get(k.substring(0, k.lastIndexOf(':')))
                .map(s -> !k.endsWith(":" + s.paidUntil())).orElse(true)); // paid or gone: forget
        emitted.addAndGet(count);
        if (count > 0) {
            LOG.infof("Scheduler sent %d renewal(s)", count);
        }
        return count;
    }

    public long emitted() {
        return emitted.get();
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
