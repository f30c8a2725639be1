package dev.edapatterns.billing.timezones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.zone.ZoneRulesProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;

@Tag("unit")
class TimeZoneDerivationTest {

    @Test
    void zoneIdsOnlyFirstIsPrimaryDuplicatesDropped() {
        assertEquals(Optional.of(new CountryTimeZones(List.of("America/New_York", "America/Chicago", "Pacific/Honolulu"),
                "America/New_York")), TimeZoneDerivation.derive(new Country("US", "United States", "USD",
                        List.of(" America/New_York", "America/Chicago", "America/New_York", "Pacific/Honolulu"))));
    }

    @Test
    void nameAndCurrencyDoNotMatter() {
        assertEquals(TimeZoneDerivation.derive(new Country("FR", "France", "EUR", List.of("Europe/Paris"))),
                TimeZoneDerivation.derive(new Country("FR", "République française", "XPF", List.of("Europe/Paris"))));
    }

    @Test
    void noValueForADeletedCountryWithoutAProblem() {
        List<String> problems = new ArrayList<>();
        assertEquals(Optional.empty(), TimeZoneDerivation.derive(null, problems::add));
        assertTrue(problems.isEmpty());
    }

    @Test
    void noValueForAnEmptyOrInvalidListAndTheProblemIsNamed() {
        for (List<String> zones : Arrays.asList(null, List.<String>of(), List.of("Europe/Paris", "Europe/Pariss"),
                List.of(" "), Arrays.asList("Europe/Paris", null))) {
            List<String> problems = new ArrayList<>();
            assertEquals(Optional.empty(), TimeZoneDerivation.derive(new Country("XX", "X", "EUR", zones), problems::add),
                    String.valueOf(zones));
            assertEquals(1, problems.size(), String.valueOf(zones));
        }
        List<String> problems = new ArrayList<>();
        TimeZoneDerivation.derive(new Country("XX", "X", "EUR", List.of("Europe/Pariss")), problems::add);
        assertTrue(problems.get(0).contains("'Europe/Pariss'"), problems.toString());
    }

    // --- derived from tz data (no zones on the country) ----------------------------------------------------------------

    private static final TzData TZ = TzData.installed();

    private static CountryTimeZones derived(String code) {
        return TimeZoneDerivation.derive(new Country(code, "Country " + code, null, null)).orElseThrow();
    }

    @Test
    void aCountryWithoutZonesGetsItsZonesFromTheTzData() {
        assertEquals(new CountryTimeZones(List.of("Africa/Juba"), "Africa/Juba", TZ.version()), derived("SS"));
        assertEquals(derived("SS"), TimeZoneDerivation.derive(new Country("SS", "South Sudan", "SSP", List.of())).orElseThrow(),
                "an empty list is no override");
        // IANA's current names, not CLDR's stable ones (Asia/Calcutta)
        assertEquals(List.of("Asia/Kolkata"), derived("IN").zones());
        assertEquals(List.of("Europe/Paris"), derived("FR").zones());
    }

    @Test
    void thePrimaryZoneIsFirstAndComesFromCldrWhereItNamesOne() {
        // CLDR primaryZones
        assertEquals(List.of("Pacific/Auckland", "Pacific/Chatham"), derived("NZ").zones());
        assertEquals("Europe/Berlin", derived("DE").primaryZone());
        assertEquals("Europe/Kyiv", derived("UA").primaryZone());
        // else the reference zone of the metazone covering most of the country's zones
        CountryTimeZones us = derived("US");
        assertEquals("America/New_York", us.primaryZone());
        assertEquals("America/New_York", us.zones().get(0));
        assertTrue(us.zones().containsAll(List.of("America/Chicago", "America/Los_Angeles", "Pacific/Honolulu")), us.zones().toString());
        assertEquals(us.zones().size(), Set.copyOf(us.zones()).size(), "no duplicates");
        assertEquals("Australia/Sydney", derived("AU").primaryZone());
        assertEquals("America/Sao_Paulo", derived("BR").primaryZone());
    }

    @Test
    void aCodeWithoutZonesInTheTzDataDerivesNoValueAndSaysWhy() {
        for (String code : List.of("BV", "HM", "XX")) {
            List<String> problems = new ArrayList<>();
            assertEquals(Optional.empty(), TimeZoneDerivation.derive(new Country(code, "X", null, null), problems::add), code);
            assertEquals(List.of("the tz data (" + TZ.version() + ") has no time zone for it"), problems);
        }
    }

    /** One source for the ids: every derived zone of every ISO country is a ZoneId this JVM's java.time resolves. */
    @Test
    void everyDerivedZoneIsAJavaTimeZoneAndTheVersionNamesBothDataSets() {
        int countries = 0;
        for (String code : Locale.getISOCountries()) {
            Optional<CountryTimeZones> zones = TZ.derive(code);
            if (zones.isEmpty()) {
                continue;
            }
            countries++;
            for (String id : zones.get().zones()) {
                assertEquals(id, ZoneId.of(id).getId(), code);
            }
            assertEquals(zones.get().zones().get(0), zones.get().primaryZone(), code);
            assertEquals(TZ.version(), zones.get().tzVersion(), code);
        }
        assertTrue(countries >= 240, countries + " countries with zones");
        assertEquals(com.ibm.icu.util.TimeZone.getTZDataVersion() + "/" + ZoneRulesProvider.getVersions("UTC").lastKey(),
                TZ.version());
    }

    // --- what replaces what --------------------------------------------------------------------------------------------

    private static CountryTimeZones tz(String version, String... zones) {
        return new CountryTimeZones(List.of(zones), zones[0], version);
    }

    @Test
    void aNewerTzReleaseReplacesAValueOnlyWhereTheZonesChanged() {
        assertTrue(TimeZoneDerivation.isChange(tz("2025a/2025a", "Europe/Kiev"), tz("2026e/2025a", "Europe/Kyiv")));
        assertFalse(TimeZoneDerivation.isChange(tz("2025a/2025a", "Africa/Juba"), tz("2026e/2025a", "Africa/Juba")),
                "a version bump alone is no change");
        assertFalse(TimeZoneDerivation.isChange(tz("2026e/2025a", "Africa/Juba"), tz("2026e/2025a", "Africa/Juba")));
    }

    @Test
    void anOlderTzReleaseNeverReplacesANewerOnesValue() {
        assertFalse(TimeZoneDerivation.isChange(tz("2026e/2025a", "Europe/Kyiv"), tz("2025a/2025a", "Europe/Kiev")));
        assertFalse(TimeZoneDerivation.isChange(tz("2026e/2025b", "America/Coyhaique", "America/Santiago"),
                tz("2026e/2025a", "America/Santiago")), "a newer java.time data set counts too");
        // but an admin's override, its removal and a delete always apply
        assertTrue(TimeZoneDerivation.isChange(tz("2026e/2025a", "Europe/Kyiv"), new CountryTimeZones(List.of("Europe/Kyiv"),
                "Europe/Kyiv")));
        assertTrue(TimeZoneDerivation.isChange(new CountryTimeZones(List.of("Europe/Kyiv"), "Europe/Kyiv"),
                tz("2025a/2025a", "Europe/Kyiv")));
        assertTrue(TimeZoneDerivation.isChange(tz("2026e/2025a", "Europe/Kyiv"), null));
        assertFalse(TimeZoneDerivation.isChange(null, null));
    }

    @Test
    void versionsOrderByReleaseYearThenLetters() {
        List<String> sorted = new ArrayList<>(List.of("2026a/2025a", "2025b/2025a", "2025a/2025b", "2025z/2025a",
                "2025za/2025a", "garbage", "2025a/2025a"));
        sorted.sort(TzData.VERSION_ORDER);
        assertEquals(List.of("garbage", "2025a/2025a", "2025a/2025b", "2025b/2025a", "2025z/2025a", "2025za/2025a",
                "2026a/2025a"), sorted);
    }
}
