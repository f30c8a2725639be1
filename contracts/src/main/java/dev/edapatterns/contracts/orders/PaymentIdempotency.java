package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * An answered {@code POST /orders/{orderId}/payments} on compacted {@code orders.payments.idempotency}, key =
 * the request's {@code Idempotency-Key}: the hash of what was asked (orderId + canonical body) and what was
 * answered, so a retry with the same key gets the same answer (also after a restart) and another body gets 409.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentIdempotency(String idempotencyKey, String requestHash, String orderId, BigDecimal total,
        String currency, Instant paidAt) {
}
