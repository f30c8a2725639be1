package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.time.Instant;

import dev.edapatterns.contracts.orders.OrderPayment;

/** The 202 answer of a payment; a retry with the same Idempotency-Key gets exactly the same one. */
public record PaymentAccepted(String orderId, String status, BigDecimal total, String currency, Instant paidAt) {

    static PaymentAccepted of(OrderPayment paid) {
        return new PaymentAccepted(paid.orderId(), "ACCEPTED", paid.total(), paid.currency(), paid.paidAt());
    }
}
