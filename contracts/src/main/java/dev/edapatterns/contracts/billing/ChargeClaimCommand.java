package dev.edapatterns.contracts.billing;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the charge dedupe store on {@code billing.charge-claims} (key userId): the renewal processor claims a
 * period before it calls the payment provider, completes it after a successful charge ({@code charge} set: written to
 * {@code billing.charges} in the same transaction) or releases it after a failed one.
 *
 * @param commandId unique per command (the store skips ids it applied before)
 * @param claimId   the claim this command belongs to; a claim is granted to one claimId per period at a time
 * @param at        when the command was sent: a claim older than the lease may be taken over
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChargeClaimCommand(String commandId, Type type, String claimId, String period, Instant at, Charge charge) {

    public enum Type { CLAIM, COMPLETE, RELEASE }
}
