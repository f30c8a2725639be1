package dev.edapatterns.contracts.imports;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The state of one import (an atomic store's state on compacted {@code import.aggregate.store}, key importId);
 * {@code errors} keeps the first rejected rows (bounded); {@code startedBy} is the principal who uploaded it (null for
 * imports accepted before version 2, which only import-admin may then see); {@code uploadFingerprint} (version 3) is
 * the hex SHA-256 of the uploaded file (null before); {@code acceptedAt} (version 4) is when the upload was accepted (null
 * before), what lists an importer's imports newest first.
 */
@SchemaVersion(4)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportAggregate(String importId, String channelId, int jobsTotal, int jobsDone, long rowsImported,
        long rowsRejected, long warnings, Status status, String failureReason, List<RowError> errors, String startedBy,
        String uploadFingerprint, Instant acceptedAt) {

    public enum Status { PENDING, RUNNING, COMPLETED, FAILED }

    /** A state without an accept time (as version-3 records read). */
    public ImportAggregate(String importId, String channelId, int jobsTotal, int jobsDone, long rowsImported,
            long rowsRejected, long warnings, Status status, String failureReason, List<RowError> errors, String startedBy,
            String uploadFingerprint) {
        this(importId, channelId, jobsTotal, jobsDone, rowsImported, rowsRejected, warnings, status, failureReason, errors,
                startedBy, uploadFingerprint, null);
    }

    /** A state without a fingerprint (as version-2 records read). */
    public ImportAggregate(String importId, String channelId, int jobsTotal, int jobsDone, long rowsImported,
            long rowsRejected, long warnings, Status status, String failureReason, List<RowError> errors, String startedBy) {
        this(importId, channelId, jobsTotal, jobsDone, rowsImported, rowsRejected, warnings, status, failureReason, errors,
                startedBy, null, null);
    }

    /** A state without a starter (as version-1 records read). */
    public ImportAggregate(String importId, String channelId, int jobsTotal, int jobsDone, long rowsImported,
            long rowsRejected, long warnings, Status status, String failureReason, List<RowError> errors) {
        this(importId, channelId, jobsTotal, jobsDone, rowsImported, rowsRejected, warnings, status, failureReason, errors,
                null, null, null);
    }
}
