package dev.edapatterns.billing.timezones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
}
