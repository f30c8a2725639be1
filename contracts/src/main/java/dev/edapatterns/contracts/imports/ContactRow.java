package dev.edapatterns.contracts.imports;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** One CSV row inside an {@link ImportJob}, as uploaded (the importer normalizes it); {@code line} is the CSV line. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContactRow(long line, String email, String name, String country, String phone) {
}
