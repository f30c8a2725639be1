package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The payment of one order, the state of the payments store on compacted {@code orders.payments.store} (key orderId):
 * who paid it under which Idempotency-Key and request fingerprint, by which command, and the answer given (total, currency,
 * paidAt). Written once, with the order's purchase, and never replaced: a retry of the same request gets this answer
 * again, every other payment of the order is refused.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderPayment(String orderId, String customerId, String principal, String idempotencyKey,
        String requestHash, String commandId, BigDecimal total, String currency, Instant paidAt) {
}
