package dev.edapatterns.contracts.imports;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the import aggregate on {@code import.aggregate.commands} (key importId).
 * {@code ACCEPTED} comes from the jobs service in the jobs' transaction (jobsTotal, rows rejected at upload and
 * their first errors, and {@code startedBy}: the principal who uploaded, who alone (with import-admin) may see it); {@code JOB_FINISHED} / {@code JOB_FAILED} come from importers. {@code commandId}
 * ({@code importId:accepted}, {@code importId:jobIndex}) makes a redelivered command a no-op. {@code uploadFingerprint}
 * (version 3, {@code ACCEPTED} only): hex SHA-256 of the uploaded file, so a reused Idempotency-Key can be told from a
 * retry by any instance. {@code acceptedAt} (version 4, {@code ACCEPTED} only): when the upload was accepted.
 */
@SchemaVersion(4)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
        long rowsImported, long rowsRejected, long warnings, String reason, List<RowError> errors, String startedBy,
        String uploadFingerprint, Instant acceptedAt) {

    public enum Type { ACCEPTED, JOB_FINISHED, JOB_FAILED }

    /** A command without an accept time (as version-3 records read). */
    public ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
            long rowsImported, long rowsRejected, long warnings, String reason, List<RowError> errors, String startedBy,
            String uploadFingerprint) {
        this(commandId, importId, channelId, type, jobIndex, jobsTotal, rowsImported, rowsRejected, warnings, reason, errors,
                startedBy, uploadFingerprint, null);
    }

    /** A command without a fingerprint (as version-2 records read). */
    public ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
            long rowsImported, long rowsRejected, long warnings, String reason, List<RowError> errors, String startedBy) {
        this(commandId, importId, channelId, type, jobIndex, jobsTotal, rowsImported, rowsRejected, warnings, reason, errors,
                startedBy, null, null);
    }

    /** A command without a starter (the importers' {@code JOB_*} commands; version-1 records read as this). */
    public ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
            long rowsImported, long rowsRejected, long warnings, String reason, List<RowError> errors) {
        this(commandId, importId, channelId, type, jobIndex, jobsTotal, rowsImported, rowsRejected, warnings, reason, errors,
                null, null, null);
    }
}
