package dev.edapatterns.billing.provider;

import java.math.BigDecimal;
import java.time.Instant;

/** One call the simulated provider received, whatever its outcome. */
public record ProviderCall(long seq, Instant at, String idempotencyKey, String userId, BigDecimal amount, String currency,
        String cardToken, Outcome outcome, String chargeId) {

    public enum Outcome { CHARGED, FAILED, DECLINED }
}
