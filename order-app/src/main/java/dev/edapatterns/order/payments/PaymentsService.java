package dev.edapatterns.order.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.orders.PaymentIdempotency;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.OrderConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Accepts a payment exactly once per Idempotency-Key.
 *
 * <ol>
 * <li>The key's answer is looked up in the idempotency store (compacted {@code orders.payments.idempotency},
 * replayed at start, so it survives restarts): same request hash -> the stored answer, nothing produced; other
 * hash -> 409.</li>
 * <li>Otherwise the key enters this instance's in-flight map: a concurrent request with the same key waits for the
 * first one's answer (same hash) or gets 409 (other hash), so one instance never publishes a key twice.</li>
 * <li>The purchase goes to {@code orders.purchase-completed} (idempotent producer, acks=all), THEN the idempotency
 * record; the key leaves the in-flight map once this instance's store shows the record (read-your-writes).</li>
 * </ol>
 * Limits: two instances receiving the same key within the store's lag can both publish; a crash between the
 * purchase's ack and the idempotency record's ack lets a retry publish the purchase again. Both produce a second
 * purchase with the same orderId, which checkout and the views treat as the same order (idempotent per orderId).
 */
@Singleton
public class PaymentsService {

    private static final Logger LOG = Logger.getLogger(PaymentsService.class);

    /** A request in progress on this instance: its hash and its coming answer. */
    private record InFlight(String hash, CompletableFuture<PaymentIdempotency> answer) {
    }

    /** An answer and whether it was a replay of an earlier one. */
    public record Outcome(PaymentAccepted answer, boolean replayed) {
    }

    private final CompactedStore<String, PaymentIdempotency> store;
    private final PaymentValidator validator;
    private final Emitter<Record<String, PurchaseCompleted>> purchases;
    private final Emitter<Record<String, PaymentIdempotency>> answers;
    private final PaymentsConfig config;
    private final ConcurrentMap<String, InFlight> inFlight = new ConcurrentHashMap<>();

    PaymentsService(CompactedStore<String, PaymentIdempotency> store, PaymentValidator validator,
            @Channel("purchases-out") Emitter<Record<String, PurchaseCompleted>> purchases,
            @Channel("payments-idempotency-out") Emitter<Record<String, PaymentIdempotency>> answers,
            OrderConfig config) {
        this.store = store;
        this.validator = validator;
        this.purchases = purchases;
        this.answers = answers;
        this.config = config.payments();
    }

    /** SHA-256 of orderId + the normalized body as canonical JSON. */
    static String hash(String orderId, PaymentRequest normalized) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(orderId.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Json.mapper().writeValueAsBytes(normalized));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<Outcome> pay(String key, String orderId, PaymentRequest request) {
        PaymentRequest normalized = PaymentValidator.normalize(request);
        String hash = hash(orderId, normalized);
        if (!store.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "Payments are still loading; retry shortly.");
        }
        Optional<PaymentIdempotency> stored = store.get(key);
        if (stored.isPresent()) {
            return Uni.createFrom().item(new Outcome(PaymentAccepted.of(same(stored.get(), hash)), true));
        }
        InFlight mine = new InFlight(hash, new CompletableFuture<>());
        InFlight earlier = inFlight.putIfAbsent(key, mine);
        if (earlier != null) {
            if (!earlier.hash().equals(hash)) {
                throw conflict();
            }
            return Uni.createFrom().completionStage(earlier.answer())
                    .map(answer -> new Outcome(PaymentAccepted.of(answer), true));
        }
        // the store may have received the record between the lookup and putIfAbsent
        stored = store.get(key);
        if (stored.isPresent()) {
            inFlight.remove(key, mine);
            return Uni.createFrom().item(new Outcome(PaymentAccepted.of(same(stored.get(), hash)), true));
        }
        PurchaseCompleted purchase;
        try {
            purchase = validator.validate(orderId, normalized, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        } catch (RuntimeException e) {
            inFlight.remove(key, mine);
            mine.answer().completeExceptionally(e);
            throw e;
        }
        PaymentIdempotency record = new PaymentIdempotency(key, hash, orderId, purchase.total(), purchase.currency(),
                purchase.paidAt());
        return send(purchases, Record.of(orderId, purchase))
                .chain(() -> send(answers, Record.of(key, record)))
                .onFailure().transform(e -> {
                    LOG.errorf(e, "Payment of order %s (key %s) not acknowledged", orderId, key);
                    return new ProblemException(503, "Service Unavailable", "Kafka did not confirm the payment of order "
                            + orderId + "; repeating the request with the same Idempotency-Key is safe.");
                })
                .invoke(() -> mine.answer().complete(record))
                .onFailure().invoke(e -> {
                    inFlight.remove(key, mine);
                    mine.answer().completeExceptionally(e);
                })
                .call(() -> Uni.createFrom().completionStage(() -> store.whenVisible(key, Objects::nonNull))
                        .ifNoItem().after(config.readYourWritesTimeout()).fail()
                        .onFailure().recoverWithNull())
                .eventually(() -> inFlight.remove(key, mine))
                .map(done -> new Outcome(PaymentAccepted.of(record), false));
    }

    private <T> Uni<Void> send(Emitter<Record<String, T>> emitter, Record<String, T> record) {
        return Uni.createFrom().completionStage(() -> emitter.send(record))
                .ifNoItem().after(config.ackTimeout()).fail();
    }

    private static PaymentIdempotency same(PaymentIdempotency stored, String hash) {
        if (!stored.requestHash().equals(hash)) {
            throw conflict();
        }
        return stored;
    }

    private static ProblemException conflict() {
        return new ProblemException(409, "Conflict",
                "This Idempotency-Key was already used for a different request (other order or body).");
    }
}
