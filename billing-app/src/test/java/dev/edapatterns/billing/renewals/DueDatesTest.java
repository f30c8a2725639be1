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
    void todayIsTheDateInTheCountrysZone() {
        assertEquals(LocalDate.of(2026, 12, 7), dueDates.today("FR"), "00:30 in Paris");
        assertEquals(LocalDate.of(2026, 12, 6), dueDates.today("US"), "15:30 in Los Angeles");
        assertEquals(LocalDate.of(2026, 12, 6), dueDates.today("DE"), "UTC");
    }
}
