package dev.edapatterns.billing.renewals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.ChargeClaimCommand;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.ChargeClaims.PeriodClaim;
import dev.edapatterns.contracts.billing.ChargeClaims.Status;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * The charge dedupe rules, one user at a time on the partition owner (no locks):
 * <ul>
 * <li>CLAIM is granted when the period is free, released, or claimed by a claim older than the lease (its holder
 * died mid-charge); a CHARGED period is never claimed again.</li>
 * <li>COMPLETE by the holder marks the period CHARGED and emits the Charge to {@code billing.charges} in the same
 * transaction. COMPLETE by anyone else is fenced: a claim taken over after its lease expired, or a period already
 * charged, records and emits nothing (the command is applied as a no-op, so its sender sees the state and learns it
 * lost the claim; a rejected command would leave it waiting).</li>
 * <li>RELEASE by the holder frees the period for the next attempt (retry topic, redrive).</li>
 * </ul>
 * Only the newest periods are kept: a user pays monthly, so old periods never come back.
 */
final class ChargeClaimReducer implements Reducer<String, ChargeClaims, ChargeClaimCommand> {

    static final int KEPT_PERIODS = 24;

    private final Duration lease;

    ChargeClaimReducer(Duration lease) {
        this.lease = lease;
    }

    @Override
    public Outcome<ChargeClaims> apply(String userId, ChargeClaims state, ChargeClaimCommand command) {
        Map<String, PeriodClaim> periods = new TreeMap<>(state == null ? Map.of() : state.periods());
        PeriodClaim current = periods.get(command.period());
        switch (command.type()) {
            case CLAIM -> {
                if (current == null || current.status() == Status.RELEASED
                        || (current.status() == Status.CLAIMED && current.at().plus(lease).isBefore(command.at()))) {
                    periods.put(command.period(), new PeriodClaim(Status.CLAIMED, command.claimId(), command.at(), null));
                }
                return Outcome.of(trim(periods));
            }
            case COMPLETE -> {
                if (current == null || current.status() != Status.CLAIMED || !current.claimId().equals(command.claimId())) {
                    return Outcome.of(trim(periods)); // fenced: the sender no longer holds the claim
                }
                periods.put(command.period(), new PeriodClaim(Status.CHARGED, command.claimId(), command.at(),
                        command.charge().chargeId()));
                return Outcome.of(trim(periods), new Emit<>(Topics.BILLING_CHARGES, userId, command.charge()));
            }
            case RELEASE -> {
                if (current != null && current.status() == Status.CLAIMED && current.claimId().equals(command.claimId())) {
                    periods.put(command.period(), new PeriodClaim(Status.RELEASED, command.claimId(), command.at(), null));
                }
                return Outcome.of(trim(periods));
            }
            default -> throw new IllegalArgumentException("unknown command " + command.type());
        }
    }

    private static ChargeClaims trim(Map<String, PeriodClaim> sorted) {
        Map<String, PeriodClaim> kept = new LinkedHashMap<>();
        int skip = Math.max(0, sorted.size() - KEPT_PERIODS);
        for (Map.Entry<String, PeriodClaim> e : sorted.entrySet()) {
            if (skip-- > 0) {
                continue;
            }
            kept.put(e.getKey(), e.getValue());
        }
        return new ChargeClaims(kept);
    }
}
