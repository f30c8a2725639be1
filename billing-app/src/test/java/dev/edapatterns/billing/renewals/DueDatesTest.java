package dev.edapatterns.billing.renewals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.reference.CountryTimeZones;

@Tag("unit")
class DueDatesTest {

    private static final Map<String, CountryTimeZones> ZONES = Map.of(
            "FR", new CountryTimeZones(List.of("Europe/Paris"), "Europe/Paris"),
            "US", new CountryTimeZones(List.of("America/New_York", "America/Los_Angeles"), "America/Los_Angeles"),
            "BR", new CountryTimeZones(List.of("America/Sao_Paulo"), "America/Sao_Paulo"),
            "XM", new CountryTimeZones(List.of("Mars/Olympus_Mons"), "Mars/Olympus_Mons"));
    private static final Instant NOW = Instant.parse("2026-12-06T23:30:00Z");

    private final DueDates dueDates = new DueDates(country -> Optional.ofNullable(ZONES.get(country)),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static Subscription paidUntil(String country, LocalDate paidUntil) {
        return new Subscription("u1", "gold", new BigDecimal("9.99"), "EUR", country, "tok", paidUntil, Subscription.Status.ACTIVE);
    }

    @Test
    void theZoneIsTheCountrysPrimaryZoneOrUtc() {
        assertEquals(ZoneId.of("Europe/Paris"), dueDates.zone("FR"));
        assertEquals(ZoneId.of("America/Los_Angeles"), dueDates.zone("US"), "the primary, not the first listed");
        assertEquals(ZoneOffset.UTC, dueDates.zone("DE"), "unknown country");
        assertEquals(ZoneOffset.UTC, dueDates.zone("XM"), "a zone id this JVM does not know");
    }

    @Test
    void dueAtLocalMidnightOfPaidUntilWithSummerAndWinterTime() {
        assertEquals(Instant.parse("2026-12-05T23:00:00Z"), dueDates.dueAt(paidUntil("FR", LocalDate.of(2026, 12, 6))));
        assertEquals(Instant.parse("2026-06-30T22:00:00Z"), dueDates.dueAt(paidUntil("FR", LocalDate.of(2026, 7, 1))));
        assertEquals(Instant.parse("2026-12-06T08:00:00Z"), dueDates.dueAt(paidUntil("US", LocalDate.of(2026, 12, 6))));
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), dueDates.dueAt(paidUntil("DE", LocalDate.of(2026, 12, 6))));
    }

    @Test
    void onADayWithoutMidnightItIsDueAtTheDaysFirstInstant() {
        // 2018-11-04 in Sao Paulo: clocks jumped from 00:00 to 01:00 (-03:00 to -02:00)
        assertEquals(Instant.parse("2018-11-04T03:00:00Z"), dueDates.dueAt(paidUntil("BR", LocalDate.of(2018, 11, 4))));
    }

    @Test
    void dueFromTheDueInstantOn() {
        Subscription s = paidUntil("FR", LocalDate.of(2026, 12, 7));
        Instant due = Instant.parse("2026-12-06T23:00:00Z");
        assertFalse(dueDates.isDue(s, due.minusMillis(1)));
        assertTrue(dueDates.isDue(s, due));
        assertTrue(dueDates.isDue(s, due.plusSeconds(86_400 * 40)));
    }

    @Test
    void renewableMeansActiveAndDueInEachCountrysOwnZone() { // the test the scheduler's tick passes over everyone with
        Instant due = Instant.parse("2026-12-06T23:00:00Z"); // midnight in Paris, still the 6th in UTC
        Subscription paris = paidUntil("FR", LocalDate.of(2026, 12, 7));
        Subscription utc = paidUntil("DE", LocalDate.of(2026, 12, 7));
        assertFalse(dueDates.renewableAt(due.minusMillis(1)).test(paris));
        assertTrue(dueDates.renewableAt(due).test(paris));
        assertFalse(dueDates.renewableAt(due).test(utc), "another zone, another due instant (midnight UTC)");
        var renewable = dueDates.renewableAt(due); // one predicate over several users of both countries
        assertTrue(renewable.test(paris) && !renewable.test(utc) && renewable.test(paris));
        assertFalse(renewable.test(new Subscription("u2", "gold", new BigDecimal("9.99"), "EUR", "FR", "tok",
                LocalDate.of(2026, 12, 7), Subscription.Status.CANCELLED)), "not ACTIVE");
    }

    @Test
    void todayIsTheDateInTheCountrysZone() {
        assertEquals(LocalDate.of(2026, 12, 7), dueDates.today("FR"), "00:30 in Paris");
        assertEquals(LocalDate.of(2026, 12, 6), dueDates.today("US"), "15:30 in Los Angeles");
        assertEquals(LocalDate.of(2026, 12, 6), dueDates.today("DE"), "UTC");
    }

    @Test
    void onTimeARenewalMovesPaidUntilOneMonth() {
        assertEquals(LocalDate.of(2027, 1, 6), DueDates.nextPaidUntil(LocalDate.of(2026, 12, 6), LocalDate.of(2026, 12, 6)));
        assertEquals(LocalDate.of(2027, 1, 6), DueDates.nextPaidUntil(LocalDate.of(2026, 12, 6), LocalDate.of(2026, 12, 20)));
        assertEquals(LocalDate.of(2027, 1, 6), DueDates.nextPaidUntil(LocalDate.of(2026, 12, 6), LocalDate.of(2026, 11, 1)),
                "charged before it was due (a clock behind): still one month, never less");
    }

    @Test
    void anOverdueSubscriptionMovesToTheFirstPeriodEndAfterToday() {
        LocalDate today = LocalDate.of(2026, 12, 7);
        assertEquals(LocalDate.of(2026, 12, 10), DueDates.nextPaidUntil(LocalDate.of(2026, 3, 10), today));
        assertEquals(LocalDate.of(2027, 1, 7), DueDates.nextPaidUntil(LocalDate.of(2026, 11, 7), today),
                "a period ending today is due today: the charge covers the next one too");
        assertEquals(LocalDate.of(2027, 1, 7), DueDates.nextPaidUntil(LocalDate.of(2026, 12, 7).minusYears(3), today));
        assertEquals(LocalDate.of(2026, 12, 20), DueDates.nextPaidUntil(LocalDate.of(1900, 1, 20), today),
                "a century overdue: one step, not 1,400 months");
    }

    @Test
    void periodsStayOnTheDayOfMonthOfPaidUntil() {
        LocalDate paidUntil = LocalDate.of(2026, 1, 31);
        assertEquals(LocalDate.of(2026, 2, 28), DueDates.nextPaidUntil(paidUntil, LocalDate.of(2026, 2, 1)));
        assertEquals(LocalDate.of(2026, 3, 31), DueDates.nextPaidUntil(paidUntil, LocalDate.of(2026, 2, 28)),
                "February's end passed: March 31, not March 28");
        assertEquals(LocalDate.of(2026, 5, 31), DueDates.nextPaidUntil(paidUntil, LocalDate.of(2026, 5, 30)));
        assertEquals(LocalDate.of(2028, 2, 29), DueDates.nextPaidUntil(paidUntil, LocalDate.of(2028, 2, 1)), "leap year");
    }

    @Test
    void todayForTheNextPaidUntilIsTheUsersDay() {
        // NOW is 00:30 on Dec 7 in Paris and still Dec 6 in Los Angeles
        assertEquals(LocalDate.of(2027, 1, 6), dueDates.nextPaidUntil(paidUntil("US", LocalDate.of(2026, 11, 6))),
                "Dec 6 in Los Angeles: Dec 6 is today, not after it");
        assertEquals(LocalDate.of(2027, 1, 6), dueDates.nextPaidUntil(paidUntil("FR", LocalDate.of(2026, 11, 6))));
        assertEquals(LocalDate.of(2027, 1, 7), dueDates.nextPaidUntil(paidUntil("FR", LocalDate.of(2026, 11, 7))),
                "Dec 7 in Paris: a period ending today is over");
        assertEquals(LocalDate.of(2026, 12, 7), dueDates.nextPaidUntil(paidUntil("US", LocalDate.of(2026, 11, 7))),
                "Dec 6 in Los Angeles: Dec 7 is after today");
    }
}
