package dev.edapatterns.billing.provider;

import java.math.BigDecimal;

/** What the renewal processor asks a provider to charge. */
public record ChargeRequest(String idempotencyKey, String userId, BigDecimal amount, String currency, String cardToken) {
}
