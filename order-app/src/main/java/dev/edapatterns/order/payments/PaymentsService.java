package dev.edapatterns.order.payments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.payments.Payments.ScopedKey;
import io.smallrye.mutiny.Uni;

/**
 * Accepts one payment per order, decided by the payments store's single writer per orderId ({@link Payments}).
 * Idempotency-Keys are scoped per user: a request is identified by (principal, key) and the hash of what it asks.
 *
 * <ol>
 * <li>The order's stored payment answers when there is one (nothing is sent): the same user, key and request hash
 * get its answer again; the same user and key with another body get 409; any other payment of the order gets 409
 * {@value #ORDER_ALREADY_PAID}. A user's key that already paid another order gets 409 too.</li>
 * <li>Otherwise the validated purchase goes to the store as a command (idempotent producer, acks=all). The store's
 * writer applies the commands of an order one after another: the first pays it and emits its purchase to
 * {@code orders.purchase-completed} in the same transaction; a later one changes nothing. Once this instance's view
 * shows the command applied, the stored payment answers as in 1 (so concurrent payments of one order give one 202 and
 * 409s, and a retry racing its original gets the same answer).</li>
 * </ol>
 * The answer waits for the decision: 503 when Kafka does not acknowledge the command or the decision is not visible
 * within {@code order.payments.decision-timeout}; a retry with the same key is then safe. The stored payments are
 * replayed at start, so the answers survive restarts.
 *
 * <p>Limit: a user's key is known to have paid an order once that payment is visible here, so the same key sent for
 * two different orders at the same moment can pay both (each order still at most once).
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
    private final PaymentsConfig config;

    PaymentsService(Payments payments, PaymentValidator validator, OrderConfig config) {
        this.payments = payments;
        this.validator = validator;
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

    /**
     * @param principal the authenticated caller
     * @param request   with the order's customer already decided (the caller's or, for orders-admin, the named one)
     */
    public Uni<Outcome> pay(String principal, String key, String orderId, PaymentRequest request) {
        PaymentRequest normalized = PaymentValidator.normalize(request);
        String hash = hash(orderId, normalized);
        if (!payments.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "Payments are still loading; retry shortly.");
        }
        ScopedKey scoped = new ScopedKey(principal, key);
        if (payments.orderPaidWith(scoped).filter(paid -> !paid.equals(orderId)).isPresent()) {
            throw keyReused();
        }
        Optional<OrderPayment> paid = payments.get(orderId);
        if (paid.isPresent()) {
            return Uni.createFrom().item(answer(paid.get(), scoped, hash, null));
        }
        PurchaseCompleted purchase = validator.validate(orderId, normalized, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        PaymentCommand command = new PaymentCommand(payments.newCommandId(), principal, key, hash, purchase);
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
                .map(stored -> answer(stored.state(), scoped, hash, command.commandId()));
    }

    /**
     * What the order's payment means for this request; {@code commandId} is the command this request sent (null when
     * it sent none): the request that paid gets a fresh answer, its retries a replayed one.
     */
    private Outcome answer(OrderPayment paid, ScopedKey scoped, String hash, String commandId) {
        if (!scoped.principal().equals(paid.principal()) || !scoped.key().equals(paid.idempotencyKey())) {
            throw new ProblemException(409, "Order Already Paid", "Order " + paid.orderId() + " is already paid.",
                    ORDER_ALREADY_PAID);
        }
        if (!paid.requestHash().equals(hash)) {
            throw keyReused();
        }
        payments.remember(paid); // this key's next request (maybe for another order) must know it, listener or not
        return new Outcome(PaymentAccepted.of(paid), !paid.commandId().equals(commandId));
    }

    private static ProblemException keyReused() {
        return new ProblemException(409, "Conflict",
                "This Idempotency-Key was already used for a different request (other order or body).");
    }

    private static ProblemException unavailable(String what) {
        return new ProblemException(503, "Service Unavailable",
                what + " repeating the request with the same Idempotency-Key is safe.");
    }
}
