package dev.edapatterns.importapp.importer;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;

/**
 * Turns an uploaded row into the stored contact: trimmed values, the normalized email ({@link Contact#normalizeEmail}),
 * upper-case country code, and the country's primary time zone (null when the country is missing or unknown).
 */
final class ContactNormalizer {

    private ContactNormalizer() {
    }

    /** {@code at} is the upload time, so processing the same job twice yields the very same value. */
    static Contact normalize(ContactRow row, String importId, Instant at, Function<String, String> zoneOfCountry) {
        String country = trim(row.country());
        if (country != null) {
            country = country.toUpperCase(Locale.ROOT);
        }
        return new Contact(Contact.normalizeEmail(row.email()), trim(row.name()), country, trim(row.phone()),
                country == null ? null : zoneOfCountry.apply(country), importId, at);
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
