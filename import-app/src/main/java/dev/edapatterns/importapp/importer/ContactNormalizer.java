package dev.edapatterns.importapp.importer;

import java.time.Instant;
import java.util.Locale;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;

/** Turns an uploaded row into the stored contact: trimmed values, lower-case email, upper-case country code. */
final class ContactNormalizer {

    private ContactNormalizer() {
    }

    /** {@code at} is the upload time, so processing the same job twice yields the very same value. */
    static Contact normalize(ContactRow row, String importId, Instant at) {
        return new Contact(row.email().trim().toLowerCase(Locale.ROOT), trim(row.name()),
                row.country() == null ? null : row.country().trim().toUpperCase(Locale.ROOT), trim(row.phone()), null,
                importId, at);
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
