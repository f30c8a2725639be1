package dev.edapatterns.billing.renewals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.ChargeClaimCommand;
import dev.edapatterns.contracts.billing.ChargeClaimCommand.Type;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.ChargeClaims.PeriodClaim;
import dev.edapatterns.contracts.billing.ChargeClaims.Status;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;

@Tag("unit")
class ChargeClaimReducerTest {

    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final String PERIOD = "2026-12";

    private final ChargeClaimReducer reducer = new ChargeClaimReducer(LEASE);

    private static ChargeClaimCommand claim(String claimId, Instant at) {
        return new ChargeClaimCommand(claimId + ":claim", Type.CLAIM, claimId, PERIOD, at, null);
    }

    private static ChargeClaimCommand release(String claimId, Instant at) {
        return new ChargeClaimCommand(claimId + ":release", Type.RELEASE, claimId, PERIOD, at, null);
    }

    private static ChargeClaimCommand complete(String claimId, String chargeId, Instant at) {
        Charge charge = new Charge(chargeId, "u1", PERIOD, new BigDecimal("9.99"), "EUR", at);
        return new ChargeClaimCommand(claimId + ":complete", Type.COMPLETE, claimId, PERIOD, at, charge);
    }

    private ChargeClaims apply(ChargeClaims state, ChargeClaimCommand command) {
        Outcome<ChargeClaims> outcome = reducer.apply("u1", state, command);
        if (command.type() != Type.COMPLETE) {
            assertEquals(List.of(), outcome.emits(), "only a completed charge is emitted");
        }
        return outcome.state();
    }

    private static PeriodClaim period(ChargeClaims claims) {
        return claims.periods().get(PERIOD);
    }

    @Test
    void aFreePeriodIsClaimed() {
        assertEquals(new PeriodClaim(Status.CLAIMED, "c1", T0, null), period(apply(null, claim("c1", T0))));
    }

    @Test
    void aLiveClaimIsNotTakenOverUntilItsLeaseHasPassed() {
        ChargeClaims held = apply(null, claim("c1", T0));
        assertEquals("c1", period(apply(held, claim("c2", T0.plusSeconds(10)))).claimId());
        assertEquals("c1", period(apply(held, claim("c2", T0.plus(LEASE)))).claimId(), "at the lease's end it still holds");
        assertEquals(new PeriodClaim(Status.CLAIMED, "c2", T0.plus(LEASE).plusMillis(1), null),
                period(apply(held, claim("c2", T0.plus(LEASE).plusMillis(1)))));
    }

    @Test
    void aReleasedPeriodIsClaimedAgainAtOnce() {
        ChargeClaims released = apply(apply(null, claim("c1", T0)), release("c1", T0.plusSeconds(1)));
        assertEquals(new PeriodClaim(Status.RELEASED, "c1", T0.plusSeconds(1), null), period(released));
        assertEquals(new PeriodClaim(Status.CLAIMED, "c2", T0.plusSeconds(2), null), period(apply(released, claim("c2", T0.plusSeconds(2)))));
    }

    @Test
    void onlyTheHolderReleasesAClaim() {
        ChargeClaims held = apply(null, claim("c1", T0));
        assertEquals(period(held), period(apply(held, release("c2", T0.plusSeconds(1)))));
        assertEquals(Map.of(), apply(null, release("c1", T0)).periods(), "releasing nothing records nothing");
    }

    @Test
    void completeRecordsTheChargeAndEmitsItForTheUser() {
        ChargeClaimCommand complete = complete("c1", "ch-1", T0.plusSeconds(3));
        Outcome<ChargeClaims> out = reducer.apply("u1", apply(null, claim("c1", T0)), complete);
        assertEquals(new PeriodClaim(Status.CHARGED, "c1", T0.plusSeconds(3), "ch-1"), period(out.state()));
        assertEquals(List.of(new Emit<>(Topics.BILLING_CHARGES, "u1", complete.charge())), out.emits());
    }

    @Test
    void aChargedPeriodIsNeverClaimedOrReleasedAgain() {
        ChargeClaims charged = reducer.apply("u1", apply(null, claim("c1", T0)), complete("c1", "ch-1", T0)).state();
        Instant muchLater = T0.plus(Duration.ofDays(40));
        assertEquals(period(charged), period(apply(charged, claim("c2", muchLater))));
        assertEquals(period(charged), period(apply(charged, release("c1", muchLater))));
    }

    @Test
    void aSecondChargeOfAPeriodIsFencedRecordingAndEmittingNothing() {
        ChargeClaims charged = reducer.apply("u1", apply(null, claim("c1", T0)), complete("c1", "ch-1", T0)).state();
        Outcome<ChargeClaims> second = reducer.apply("u1", charged, complete("c2", "ch-2", T0.plus(LEASE).plusSeconds(1)));
        assertEquals(new PeriodClaim(Status.CHARGED, "c1", T0, "ch-1"), period(second.state()), "the first charge stays");
        assertEquals(List.of(), second.emits(), "no second billing.charges record");
    }

    @Test
    void aClaimTakenOverAfterItsLeaseCannotComplete() {
        ChargeClaims takenOver = apply(apply(null, claim("c1", T0)), claim("c2", T0.plus(LEASE).plusSeconds(1)));
        Outcome<ChargeClaims> fenced = reducer.apply("u1", takenOver, complete("c1", "ch-1", T0.plus(LEASE).plusSeconds(2)));
        assertEquals(new PeriodClaim(Status.CLAIMED, "c2", T0.plus(LEASE).plusSeconds(1), null), period(fenced.state()),
                "the new holder keeps the claim");
        assertEquals(List.of(), fenced.emits());
        Outcome<ChargeClaims> completed = reducer.apply("u1", fenced.state(), complete("c2", "ch-2", T0.plus(LEASE).plusSeconds(3)));
        assertEquals(new PeriodClaim(Status.CHARGED, "c2", T0.plus(LEASE).plusSeconds(3), "ch-2"), period(completed.state()));
        assertEquals(1, completed.emits().size());
    }

    @Test
    void aHolderWhoseLeaseExpiredWithoutATakeoverStillCompletes() {
        ChargeClaims held = apply(null, claim("c1", T0));
        ChargeClaims charged = reducer.apply("u1", held, complete("c1", "ch-1", T0.plus(LEASE).plusSeconds(30))).state();
        assertEquals(Status.CHARGED, period(charged).status());
    }

    @Test
    void onlyTheNewestPeriodsAreKept() {
        ChargeClaims state = null;
        List<String> periods = new ArrayList<>();
        YearMonth first = YearMonth.of(2024, 1);
        for (int i = ChargeClaimReducer.KEPT_PERIODS + 2; i >= 0; i--) { // newest first: order of arrival does not matter
            String p = first.plusMonths(i).toString();
            periods.add(0, p);
            state = reducer.apply("u1", state, new ChargeClaimCommand("x" + i, Type.CLAIM, "c" + i, p, T0, null)).state();
        }
        assertEquals(ChargeClaimReducer.KEPT_PERIODS, state.periods().size());
        assertEquals(periods.subList(3, periods.size()), List.copyOf(state.periods().keySet()), "oldest three dropped, sorted");
    }
}
