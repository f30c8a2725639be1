package dev.edapatterns.contracts.imports;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The state of one import (an atomic store's state on compacted {@code import.aggregate.store}, key importId);
 * {@code errors} keeps the first rejected rows (bounded).
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportAggregate(String importId, String channelId, int jobsTotal, int jobsDone, long rowsImported,
        long rowsRejected, long warnings, Status status, String failureReason, List<RowError> errors) {

    public enum Status { PENDING, RUNNING, COMPLETED, FAILED }
}
