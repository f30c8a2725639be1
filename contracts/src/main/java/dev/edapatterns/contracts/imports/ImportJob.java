package dev.edapatterns.contracts.imports;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A slice of one import on {@code import.jobs} (key {@code importId:jobIndex}): jobs service -> importer group.
 * {@code acceptedAt} is the upload time; contacts carry it, so processing a job twice writes identical values.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportJob(String importId, String channelId, int jobIndex, int jobsTotal, Instant acceptedAt,
        List<ContactRow> rows) {
}
