package dev.edapatterns.contracts.imports;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** A rejected CSV row: its line number in the upload and why. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RowError(long line, String reason) {
}
