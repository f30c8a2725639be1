package dev.edapatterns.billing.ledger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.tracing.KafkaTracing;
import dev.edapatterns.eventkit.retry.PermanentFailure;
import dev.edapatterns.eventkit.retry.RecordHandler;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Applies one {@code billing.charges} record to the user's ledger (the handler of {@link LedgerConsumer}): validate,
 * post (the dependency that can be down), then write the new account state to {@code billing.ledger}.
 *
 * <p>Order and idempotency: one user's records come one at a time in offset order (different users' concurrently);
 * the account is read only once the store holds every earlier write to it: after a partition is assigned, the store
 * catches up once with everything committed so far (a previous owner's writes, one end-offsets request per partition
 * and assignment rather than per charge), and each write of this instance is visible in the store before the user's
 * next charge is handled (read-your-writes, no broker round trip). A charge id already in the account is not applied
 * twice: the dedupe lives in the account on {@code billing.ledger}, so it survives a crash. Only the
 * consumer owning a charges partition writes the accounts of its users, to the same partition number of the ledger
 * topic.
 *
 * <p>Failures: an invalid charge is a {@link PermanentFailure} (retrying cannot fix it: an operator skips it); a posting
 * outage or a Kafka error is transient and retried with backoff, holding the user so that user's later charges and
 * refunds never overtake it.
 */
@Singleton
public class LedgerPosting implements RecordHandler<String, Charge> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final CompactedStore<String, LedgerAccount> accounts;
    private final PostingOutages outages;
    /** channel ledger-out: billing.ledger, acks=all, idempotent */
    private final MutinyEmitter<LedgerAccount> ledger;
    private final Clock clock = Clock.systemUTC();
    private final KafkaTracing tracing;
    /** Per charges partition: the store's catch-up since this instance was (last) given the partition. */
    private final Map<Integer, CompletableFuture<Void>> caughtUpSinceAssigned = new ConcurrentHashMap<>();

    LedgerPosting(CompactedStore<String, LedgerAccount> accounts, PostingOutages outages,
            @Channel("ledger-out") MutinyEmitter<LedgerAccount> ledger, KafkaTracing tracing) {
        this.tracing = tracing;
        this.accounts = accounts;
        this.outages = outages;
        this.ledger = ledger;
    }

    @Override
    public void handle(ConsumerRecord<String, Charge> record) throws Exception {
        Charge charge = record.value();
        validate(record.key(), charge);
        awaitPreviousOwner(record.partition());
        LedgerAccount account = accounts.get(charge.userId())
                .orElseGet(() -> new LedgerAccount(charge.userId(), Map.of(), List.of()));
        if (account.entries().stream().anyMatch(e -> e.chargeId().equals(charge.chargeId()))) {
            return; // applied before (a redelivery after a crash or rebalance)
        }
        outages.check(charge.userId());
        LedgerAccount next = apply(account, charge, record);
        RecordHeaders headers = new RecordHeaders();
        tracing.injectCurrent(headers); // the consumer's span for the charge
        // the same partition number as the charge: only this partition's owner writes these users' accounts
        ledger.sendMessage(Message.of(next).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(charge.userId()).withPartition(record.partition()).withHeaders(headers).build()))
                .await().atMost(TIMEOUT);
        // the user's next charge reads the account from the store: it must hold this write by then
        await(accounts.whenVisible(charge.userId(), applied -> applied != null
                && applied.entries().stream().anyMatch(e -> e.chargeId().equals(charge.chargeId()))));
    }

    /** Called by the consumer as it is given partitions: their previous owner's writes are read again, once. */
    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> caughtUpSinceAssigned.remove(tp.partition()));
    }

    private void awaitPreviousOwner(int partition) throws Exception {
        CompletableFuture<Void> caughtUp = caughtUpSinceAssigned.computeIfAbsent(partition, p -> accounts.caughtUp());
        try {
            await(caughtUp);
        } catch (Exception e) {
            caughtUpSinceAssigned.remove(partition, caughtUp); // the next charge asks again
            throw e;
        }
    }

    private LedgerAccount apply(LedgerAccount account, Charge charge, ConsumerRecord<String, Charge> record) {
        List<LedgerAccount.Entry> entries = new ArrayList<>(account.entries());
        entries.add(new LedgerAccount.Entry(charge.chargeId(), charge.period(), charge.amount(), charge.currency(),
                charge.chargedAt(), record.partition(), record.offset(), clock.instant()));
        Map<String, BigDecimal> balances = new HashMap<>(account.balances());
        balances.merge(charge.currency(), charge.amount(), BigDecimal::add);
        return new LedgerAccount(account.userId(), balances, entries);
    }

    /** What no retry can repair. */
    static void validate(String key, Charge charge) {
        if (charge == null) {
            throw new PermanentFailure("a charge without a value (tombstone) at key " + key);
        }
        List<String> problems = new ArrayList<>();
        if (charge.chargeId() == null || charge.chargeId().isBlank()) {
            problems.add("chargeId is missing");
        }
        if (charge.userId() == null || !charge.userId().equals(key)) {
            problems.add("userId " + charge.userId() + " differs from the record key " + key);
        }
        if (charge.amount() == null || charge.amount().signum() == 0) {
            problems.add("amount must be non-zero (negative for a refund)");
        }
        if (charge.currency() == null || !CURRENCY.matcher(charge.currency()).matches()) {
            problems.add("currency must be an ISO 4217 code: " + charge.currency());
        }
        if (!problems.isEmpty()) {
            throw new PermanentFailure("invalid charge " + charge.chargeId() + ": " + String.join("; ", problems));
        }
    }

    private static <T> T await(java.util.concurrent.Future<T> future) throws Exception {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new TimeoutException("ledger store or write not ready within " + TIMEOUT.toSeconds() + " s");
        }
    }
}
