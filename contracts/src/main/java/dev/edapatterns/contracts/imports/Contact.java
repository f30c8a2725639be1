package dev.edapatterns.contracts.imports;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * An imported contact on compacted {@code import.contacts} (key = {@link #normalizeEmail normalized email}, also in
 * {@code email}): importer -> order-app's customers read model.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Contact(String email, String name, String country, String phone, String timeZone, String importId,
        Instant updatedAt) {

    /**
     * The one spelling of an email that keys {@code import.contacts}: trimmed and lower case, so the same address
     * typed differently is one contact, whoever writes or looks it up.
     */
    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
