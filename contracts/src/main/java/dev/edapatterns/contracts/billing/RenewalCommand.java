package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Renew this subscription for this period" on {@code billing.renewals} (key userId, so one user's renewals are
 * ordered without locks), its retry topics and DLQ: scheduler -> renewal processor. Idempotency key {@code userId:period}.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenewalCommand(String idempotencyKey, String userId, String period, BigDecimal amount, String currency,
        String cardToken, Instant requestedAt) {
}
