package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.time.Instant;

import dev.edapatterns.contracts.orders.PaymentIdempotency;

/** The 202 answer of a payment; a retry with the same Idempotency-Key gets exactly the same one. */
public record PaymentAccepted(String orderId, String status, BigDecimal total, String currency, Instant paidAt) {

    static PaymentAccepted of(PaymentIdempotency stored) {
        return new PaymentAccepted(stored.orderId(), "ACCEPTED", stored.total(), stored.currency(), stored.paidAt());
    }
}
