package dev.edapatterns.contracts.imports;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the import aggregate on {@code import.aggregate.commands} (key importId): importers -> aggregator.
 * {@code commandId} ({@code importId:jobIndex}) makes a redelivered job's command a no-op.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportCommand(String commandId, String importId, String channelId, Type type, int jobIndex, int jobsTotal,
        long rowsImported, long rowsRejected, long warnings, String reason) {

    public enum Type { JOB_FINISHED, JOB_FAILED }
}
