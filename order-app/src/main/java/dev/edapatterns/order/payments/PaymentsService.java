package dev.edapatterns.order.payments;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.payments.Payments.ScopedKey;
import io.smallrye.mutiny.Uni;

/**
 * Accepts one payment per order, decided by the payments store's single writer per orderId ({@link Payments}).
 * Idempotency-Keys (IETF httpapi idempotency-key draft) are scoped per user: a request is identified by (principal, key)
 * and its fingerprint, the hash of what it asks (orderId + canonical body).
 *
 * <ol>
 * <li>The request's shape and bounds are checked first ({@link PaymentValidator#checkShape}): nothing is computed
 * from a request outside them.</li>
 * <li>The order's stored payment answers when there is one (nothing is sent): the same user, key and fingerprint
 * get its answer again; the same user and key with another fingerprint get 422 (key reused); any other payment of
 * the order gets 409 {@value #ORDER_ALREADY_PAID}. A user's key that already paid another order gets 422 too.</li>
 * <li>Otherwise the key is claimed on this instance ({@link KeysInFlight}: a second request with it meanwhile gets
 * 409 in flight) and the validated purchase goes to the store as a command (idempotent producer, acks=all). The
 * store's writer applies the commands of an order one after another: the first pays it and emits its purchase to
 * {@code orders.purchase-completed} in the same transaction; a later one changes nothing. Once this instance's view
 * shows the command applied, the stored payment answers as in 2 (so concurrent payments of one order give one 202
 * and 409s, and a retry racing its original on another instance gets the same answer).</li>
 * </ol>
 * The key and the fingerprint are stored with the decision, in compacted {@code orders.payments.store}: every
 * instance, and every instance after a restart, answers a retry or a reuse the same way. The answer waits for the
 * decision: 503 when Kafka does not acknowledge the command or the decision is not visible within
 * {@code order.payments.decision-timeout}; a retry with the same key is then safe.
 *
 * <p>Limit: a user's key is known to have paid an order once that payment is visible here, so the same key sent to
 * two instances for two different orders at the same moment can pay both (each order still at most once).
 */
@Singleton
public class PaymentsService {

    /** The problem type of a payment refused because its order was paid by another request. */
    public static final String ORDER_ALREADY_PAID = "https://edapatterns.dev/problems/order-already-paid";

    private static final Logger LOG = Logger.getLogger(PaymentsService.class);

    /** An answer and whether it was a replay of an earlier one. */
    public record Outcome(PaymentAccepted answer, boolean replayed) {
    }

    private final Payments payments;
    private final PaymentValidator validator;
    private final KeysInFlight inFlight;
    private final PaymentsConfig config;

    PaymentsService(Payments payments, PaymentValidator validator, KeysInFlight inFlight, OrderConfig config) {
        this.payments = payments;
        this.validator = validator;
        this.inFlight = inFlight;
        this.config = config.payments();
    }

    /** The request's fingerprint: SHA-256 of orderId, a NUL byte and the normalized body as canonical JSON. */
    static String fingerprint(String orderId, PaymentRequest normalized) {
        try {
            ByteArrayOutputStream canonical = new ByteArrayOutputStream();
            canonical.writeBytes(orderId.getBytes(StandardCharsets.UTF_8));
            canonical.write(0);
            canonical.writeBytes(Json.mapper().writeValueAsBytes(normalized));
            return IdempotencyKeys.fingerprint(canonical.toByteArray());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param principal the authenticated caller
     * @param key       the caller's Idempotency-Key, already checked ({@code IdempotencyKeys.require})
     * @param request   with the order's customer already decided (the caller's or, for orders-admin, the named one)
     */
    public Uni<Outcome> pay(String principal, String key, String orderId, PaymentRequest request) {
        validator.checkShape(request);
        PaymentRequest normalized = PaymentValidator.normalize(request);
        String fingerprint = fingerprint(orderId, normalized);
        if (!payments.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "Payments are still loading; retry shortly.");
        }
        ScopedKey scoped = new ScopedKey(principal, key);
        if (payments.orderPaidWith(scoped).filter(paid -> !paid.equals(orderId)).isPresent()) {
            throw IdempotencyKeys.reused();
        }
        Optional<OrderPayment> paid = payments.get(orderId);
        if (paid.isPresent()) {
            return Uni.createFrom().item(answer(paid.get(), scoped, fingerprint, null));
        }
        inFlight.claim(scoped, fingerprint);
        return Uni.createFrom().deferred(() -> send(scoped, orderId, normalized, fingerprint))
                .onTermination().invoke(() -> inFlight.release(scoped));
    }

    private Uni<Outcome> send(ScopedKey scoped, String orderId, PaymentRequest normalized, String fingerprint) {
        PurchaseCompleted purchase = validator.validate(orderId, normalized, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        PaymentCommand command = new PaymentCommand(payments.newCommandId(), scoped.principal(), scoped.key(),
                fingerprint, purchase);
        return Uni.createFrom().completionStage(() -> payments.store().send(orderId, command))
                .ifNoItem().after(config.ackTimeout()).fail()
                .onFailure().transform(e -> {
                    LOG.errorf(e, "Payment of order %s not acknowledged", orderId);
                    return unavailable("Kafka did not confirm the payment of order " + orderId + ";");
                })
                .chain(() -> Uni.createFrom().completionStage(() -> payments.store().whenApplied(orderId, command.commandId()))
                        .ifNoItem().after(config.decisionTimeout())
                        .failWith(() -> unavailable("The payment of order " + orderId + " was sent but not decided within "
                                + config.decisionTimeout().toMillis() + " ms;")))
                .map(stored -> answer(stored.state(), scoped, fingerprint, command.commandId()));
    }

    /**
     * What the order's payment means for this request; {@code commandId} is the command this request sent (null when
     * it sent none): the request that paid gets a fresh answer, its retries a replayed one.
     */
    private Outcome answer(OrderPayment paid, ScopedKey scoped, String fingerprint, String commandId) {
        if (!scoped.principal().equals(paid.principal()) || !scoped.key().equals(paid.idempotencyKey())) {
            throw new ProblemException(409, "Order Already Paid", "Order " + paid.orderId() + " is already paid.",
                    ORDER_ALREADY_PAID);
        }
        if (!paid.requestHash().equals(fingerprint)) {
            throw IdempotencyKeys.reused();
        }
        payments.remember(paid); // this key's next request (maybe for another order) must know it, listener or not
        return new Outcome(PaymentAccepted.of(paid), !paid.commandId().equals(commandId));
    }

    private static ProblemException unavailable(String what) {
        return new ProblemException(503, "Service Unavailable",
                what + " repeating the request with the same Idempotency-Key is safe.");
    }
}
