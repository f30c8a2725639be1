package dev.edapatterns.contracts.imports;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** A slice of one import on {@code import.jobs} (key {@code importId:jobIndex}): jobs service -> importer group. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportJob(String importId, String channelId, int jobIndex, int jobsTotal, List<ContactRow> rows) {
}
