package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Renew this subscription for this period" on {@code billing.renewals} (key userId, so one user's renewals are
 * ordered without locks), its retry topics and DLQ: scheduler -> renewal processor. Idempotency key {@code userId:period}.
 * No card token: retry topics and the DLQ keep records for days and show them to operators, so the processor reads the
 * token from the subscription when it charges. Version 1 also carried {@code cardToken}; such records still decode
 * (unknown fields are ignored) and the field is never read.
 */
@SchemaVersion(2)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenewalCommand(String idempotencyKey, String userId, String period, BigDecimal amount, String currency,
        Instant requestedAt) {
}
