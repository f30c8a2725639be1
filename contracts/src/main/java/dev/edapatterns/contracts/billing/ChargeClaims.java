package dev.edapatterns.contracts.billing;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The charge dedupe state of one user on {@code billing.charge-claims.store}: per billing period, who claims it or
 * that it was charged. A charged period is never charged again, whichever instance, tick or redrive asks.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChargeClaims(Map<String, PeriodClaim> periods) {

    public enum Status { CLAIMED, RELEASED, CHARGED }

    /** @param chargeId set once charged */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PeriodClaim(Status status, String claimId, Instant at, String chargeId) {
    }
}
