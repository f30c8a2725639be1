package dev.edapatterns.contracts.imports;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the import aggregate on {@code import.aggregate.commands} (key importId).
 * {@code ACCEPTED} comes from the jobs service in the jobs' transaction (jobsTotal, rows rejected at upload and
 * their first errors); {@code JOB_FINISHED} / {@code JOB_FAILED} come from importers. {@code commandId}
 * ({@code importId:accepted}, {@code importId:jobIndex}) makes a redelivered command a no-op.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
        long rowsImported, long rowsRejected, long warnings, String reason, List<RowError> errors) {

    public enum Type { ACCEPTED, JOB_FINISHED, JOB_FAILED }
}
