package dev.edapatterns.importapp.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;

@Tag("unit")
class ContactNormalizerTest {

    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");
    private final List<String> looked = new ArrayList<>();
    private final Function<String, String> zones = country -> {
        looked.add(country);
        return Map.of("FR", "Europe/Paris", "DE", "Europe/Berlin").get(country);
    };

    @Test
    void valuesAreTrimmedEmailLowerCasedCountryUpperCasedAndZoned() {
        Contact contact = ContactNormalizer.normalize(new ContactRow(7, "  Ann.Lee@Example.COM ", " Ann Lee ", " fr ", " +33 1 "),
                "imp-1", AT, zones);
        assertEquals(new Contact("ann.lee@example.com", "Ann Lee", "FR", "+33 1", "Europe/Paris", "imp-1", AT), contact);
        assertEquals(List.of("FR"), looked, "the zone is looked up with the normalized code");
    }

    @Test
    void blankOrMissingFieldsBecomeNullAndNeedNoZoneLookup() {
        Contact contact = ContactNormalizer.normalize(new ContactRow(1, "a@b.co", "   ", null, ""), "imp", AT, zones);
        assertEquals(new Contact("a@b.co", null, null, null, null, "imp", AT), contact);
        assertEquals(List.of(), looked);

        assertEquals(null, ContactNormalizer.normalize(new ContactRow(1, "a@b.co", null, " \t", null), "imp", AT, zones).country());
        assertEquals(List.of(), looked);
    }

    @Test
    void anUnknownCountryKeepsItsCodeWithoutAZone() {
        Contact contact = ContactNormalizer.normalize(new ContactRow(1, "a@b.co", null, "zz", null), "imp", AT, zones);
        assertEquals("ZZ", contact.country());
        assertEquals(null, contact.timeZone());
    }

    @Test
    void theSameRowNormalizesToTheSameContact() {
        ContactRow row = new ContactRow(3, "X@Y.ORG", "X", "de", null);
        assertEquals(ContactNormalizer.normalize(row, "imp", AT, zones), ContactNormalizer.normalize(row, "imp", AT, zones));
    }

    @Test
    void caseFoldingDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
            Contact contact = ContactNormalizer.normalize(new ContactRow(1, "INFO@IBM.COM", null, "fi", null), "imp", AT, zones);
            assertEquals("info@ibm.com", contact.email(), "no dotless i");
            assertEquals("FI", contact.country(), "no dotted capital I");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
