package dev.edapatterns.contracts.imports;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** An imported contact on compacted {@code import.contacts} (key = normalized email): importer -> contacts view. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Contact(String email, String name, String country, String phone, String timeZone, String importId,
        Instant updatedAt) {
}
