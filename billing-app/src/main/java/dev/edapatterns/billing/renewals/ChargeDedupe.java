package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.ChargeClaimCommand;
import dev.edapatterns.contracts.billing.ChargeClaimCommand.Type;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.ChargeClaims.PeriodClaim;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * "Charge userId:period at most once", across ticks, instances, restarts and redrives, kept in Kafka: an
 * {@link AtomicStore} keyed by userId (commands {@code billing.charge-claims}, state
 * {@code billing.charge-claims.store}). The processor claims a period before calling the provider and waits until
 * the store decided; only the holder of the claim charges. Every command waits until the store applied it, so the
 * next renewal of the same user sees the outcome.
 */
@Singleton
public class ChargeDedupe {

    /** What the store decided about a claim. */
    public enum Decision { GRANTED, ALREADY_CHARGED, HELD_ELSEWHERE }

    private final AtomicStore<String, ChargeClaims, ChargeClaimCommand> store;
    private final Clock clock;
    private final Duration timeout;
    private final String instance;
    /** Numbered ids per process start compress into ranges in the stored state (see AppliedIds). */
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);

    ChargeDedupe(AtomicStore<String, ChargeClaims, ChargeClaimCommand> store, Clock clock, EventKitConfig config,
            BillingConfig billing) {
        this.store = store;
        this.clock = clock;
        this.timeout = billing.renewals().dedupe().timeout();
        this.instance = config.instanceId();
    }

    @Produces
    @Singleton
    @Startup
    static AtomicStore<String, ChargeClaims, ChargeClaimCommand> chargeClaims(Stores stores, BillingConfig billing) {
        return stores.atomic(AtomicStore.builder("charge-claims", Topics.BILLING_CHARGE_CLAIMS, Topics.BILLING_CHARGE_CLAIMS_STORE,
                new ChargeClaimReducer(billing.renewals().dedupe().lease()), ChargeClaimCommand::commandId));
    }

    public Optional<PeriodClaim> current(String userId, String period) {
        return store.get(userId).map(c -> c.periods().get(period));
    }

    public boolean isCharged(String userId, String period) {
        return current(userId, period).map(c -> c.status() == ChargeClaims.Status.CHARGED).orElse(false);
    }

    /** A new claim id for one attempt. */
    public String newClaimId() {
        return instance + "-" + seq.incrementAndGet();
    }

    public Decision claim(String userId, String period, String claimId) {
        return claim(userId, period, claimId, clock.instant());
    }

    /** Claims the period as of {@code at} (the start of the claim's lease). */
    public Decision claim(String userId, String period, String claimId, Instant at) {
        StoredState<ChargeClaims> state = sendAndAwait(userId, Type.CLAIM, claimId, period, null, at);
        PeriodClaim claim = state.state().periods().get(period);
        if (claim == null) {
            throw new IllegalStateException("claim " + claimId + " applied but period " + period + " absent");
        }
        if (claim.status() == ChargeClaims.Status.CHARGED) {
            return Decision.ALREADY_CHARGED;
        }
        return claim.status() == ChargeClaims.Status.CLAIMED && claimId.equals(claim.claimId()) ? Decision.GRANTED
                : Decision.HELD_ELSEWHERE;
    }

    /**
     * Marks the period charged and writes the Charge to billing.charges, in one transaction, if {@code claimId} still
     * holds the claim.
     *
     * @throws ClaimLostException the claim was taken over after its lease expired (or the period is charged by
     *                            another claim): nothing was recorded; the charge made under it needs reconciling
     */
    public void complete(String userId, String period, String claimId, Charge charge) {
        PeriodClaim after = sendAndAwait(userId, Type.COMPLETE, claimId, period, charge, clock.instant()).state().periods()
                .get(period);
        if (after == null || after.status() != ChargeClaims.Status.CHARGED || !claimId.equals(after.claimId())) {
            throw new ClaimLostException(userId + ":" + period + " charge " + charge.chargeId() + " not recorded: claim "
                    + claimId + " was taken over (now " + (after == null ? "none" : after.status() + " by " + after.claimId())
                    + ")");
        }
    }

    public void release(String userId, String period, String claimId) {
        sendAndAwait(userId, Type.RELEASE, claimId, period, null, clock.instant());
    }

    private StoredState<ChargeClaims> sendAndAwait(String userId, Type type, String claimId, String period, Charge charge,
            Instant at) {
        String commandId = type.name().toLowerCase() + ":" + newClaimId();
        ChargeClaimCommand command = new ChargeClaimCommand(commandId, type, claimId, period, at, charge);
        try {
            return store.sendAndAwaitApplied(userId, command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DedupeUnavailableException("interrupted", e);
        } catch (ExecutionException e) {
            throw new DedupeUnavailableException("sending " + commandId + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DedupeUnavailableException(type + " " + userId + ":" + period + " not applied within " + timeout, null);
        }
    }

    /** A claim that no longer holds its period could not complete: the fence of an attempt that outlived its lease. */
    public static class ClaimLostException extends RuntimeException {
        ClaimLostException(String message) {
            super(message);
        }
    }

    /** The store did not answer in time: the renewal is retried later (it is transient). */
    public static class DedupeUnavailableException extends RuntimeException {
        DedupeUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
