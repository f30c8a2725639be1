package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** A successful charge on {@code billing.charges} (key userId): renewal processor -> ledger (blocking retry). */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Charge(String chargeId, String userId, String period, BigDecimal amount, String currency, Instant chargedAt) {
}
