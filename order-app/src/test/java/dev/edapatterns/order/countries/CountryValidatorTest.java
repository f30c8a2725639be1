package dev.edapatterns.order.countries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.TestConstraints;

@Tag("unit")
class CountryValidatorTest {

    private static final int MAX_NAME = 20;
    private static final int MAX_ZONES = 8;
    private final CountryValidator validator = new CountryValidator(TestConstraints.validator(), MAX_NAME, MAX_ZONES);

    @SuppressWarnings("unchecked")
    private List<FieldError> errors(String pathCode, CountryRequest body) {
        ProblemException e = assertThrows(ProblemException.class, () -> validator.validate(pathCode, body));
        assertEquals(400, e.status());
        Problem problem = e.toProblem("/countries/" + pathCode);
        List<FieldError> errors = (List<FieldError>) problem.extensions().get("errors");
        String detail = "The country is invalid. " + String.join(" ", errors.stream().map(f -> f.field() + ": " + f.message()).toList());
        // a problem's detail is cut at 300 characters; the errors list is complete
        assertEquals(detail.length() <= 300 ? detail : detail.substring(0, 299) + "\u2026", problem.detail());
        return errors;
    }

    private List<String> fields(String pathCode, CountryRequest body) {
        return errors(pathCode, body).stream().map(FieldError::field).toList();
    }

    @Test
    void codesAreStoredUpperCaseNamesStrippedZonesKeptAsGiven() {
        assertEquals(new Country("FR", "France", "EUR", List.of("Europe/Paris", "America/Cayenne")),
                validator.validate("fr", new CountryRequest("Fr", "  France ", "eur", List.of("Europe/Paris", "America/Cayenne"))));
        assertEquals(new Country("JP", "Japan", "JPY", List.of("Asia/Tokyo")),
                validator.validate("JP", new CountryRequest(null, "Japan", "JPY", List.of("Asia/Tokyo"))), "the body's code is optional");
    }

    @Test
    void everyBadFieldIsListedInOneAnswer() {
        assertEquals(List.of("code", "name", "currency", "timeZones[0]"),
                fields("XX", new CountryRequest(null, " ", null, List.of("+01:00"))));
        assertEquals(List.of("code", "name", "currency"), fields("FRA", new CountryRequest(null, null, " ", null)));
    }

    @Test
    void zonesAreOptionalAndNoneOrAnEmptyListIsStoredAsNone() {
        // billing-app derives them from tz data; a list is the admin's override
        assertEquals(new Country("SS", "South Sudan", "SSP", null),
                validator.validate("ss", new CountryRequest(null, "South Sudan", "ssp", null)));
        assertEquals(new Country("SS", "South Sudan", "SSP", null),
                validator.validate("SS", new CountryRequest(null, "South Sudan", "SSP", List.of())));
    }

    @Test
    void aBodyCodeMustNameThePathsCountry() {
        assertEquals(List.of(new FieldError("code", "'DE' differs from the path (FR).")),
                errors("fr", new CountryRequest("DE", "France", "EUR", List.of("Europe/Paris"))));
        assertEquals(List.of(new FieldError("code", "'XX' (in the path) is not an ISO 3166-1 alpha-2 code.")),
                errors("XX", new CountryRequest("XX", "Nowhere", "EUR", List.of("Europe/Paris"))));
    }

    @Test
    void theNameIsBoundedAfterStripping() {
        assertEquals("x".repeat(MAX_NAME),
                validator.validate("FR", new CountryRequest(null, " " + "x".repeat(MAX_NAME) + " ", "EUR", List.of("UTC"))).name());
        assertEquals(List.of(new FieldError("name", "The name is longer than " + MAX_NAME + " characters.")),
                errors("FR", new CountryRequest(null, "x".repeat(MAX_NAME + 1), "EUR", List.of("UTC"))));
    }

    @Test
    void theCurrencyMustBeAnIsoCode() {
        assertEquals(List.of(new FieldError("currency", "Not an ISO 4217 currency code (e.g. EUR).")),
                errors("FR", new CountryRequest(null, "France", "EURO", List.of("Europe/Paris"))));
    }

    @Test
    void aListOverTheMaximumIsOneFaultAndItsZonesAreNotLookedAt() {
        assertEquals(List.of("UTC", "Europe/Paris", "Asia/Tokyo", "America/Cayenne"), validator.validate("FR",
                new CountryRequest(null, "France", "EUR", List.of("UTC", "Europe/Paris", "Asia/Tokyo", "America/Cayenne")))
                .timeZones());
        assertEquals(List.of(new FieldError("timeZones", "At most " + MAX_ZONES + " time zones per country.")),
                errors("FR", new CountryRequest(null, "France", "EUR", Collections.nCopies(MAX_ZONES + 1, "+02:00"))));
    }

    @Test
    void everyZoneMustBeAKnownRegionIdListedOnce() {
        List<FieldError> errors = errors("FR", new CountryRequest(null, "France", "EUR",
                Arrays.asList("Europe/Paris", "+02:00", "europe/paris", " ", null, "Europe/Paris", "Etc/GMT+2")));
        assertEquals(List.of("timeZones[1]", "timeZones[2]", "timeZones[3]", "timeZones[4]", "timeZones[5]"),
                errors.stream().map(FieldError::field).toList(), "offsets and wrong case refused; Etc/GMT+2 is a region id");
        assertEquals("'Europe/Paris' is listed more than once.", errors.get(4).message());
        assertEquals("A time zone id is required.", errors.get(3).message());
    }

    @Test
    void echoedInputIsCutShort() {
        String huge = "Z".repeat(10_000);
        FieldError error = errors("FR", new CountryRequest(null, "France", "EUR", List.of(huge))).get(0);
        assertEquals("'" + "Z".repeat(40) + "...' is not an IANA time zone id (a region such as Europe/Paris, not an offset).",
                error.message());
    }

    @Test
    void aMissingBodyIsABadRequest() {
        ProblemException e = assertThrows(ProblemException.class, () -> validator.validate("FR", null));
        assertEquals(400, e.status());
    }

    @Test
    void normalizeCodeAcceptsIsoCodesInAnyCase() {
        assertEquals(Optional.of("FR"), CountryValidator.normalizeCode("fr"));
        assertEquals(Optional.of("GB"), CountryValidator.normalizeCode("gB"));
        for (String bad : Arrays.asList(null, "", "UK", "FRA", "F", "XX")) {
            assertEquals(Optional.empty(), CountryValidator.normalizeCode(bad), String.valueOf(bad));
        }
    }
}
