package dev.edapatterns.contracts.progress;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * Progress of an import on {@code progress} (key channelId, so one partition per channel): any app -> notify-app
 * -> WebSocket. {@code seq} is the record's offset, filled in by the reader.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProgressEvent(String channelId, long seq, String importId, ProgressType type, int jobsDone, int jobsTotal,
        long rowsImported, long rowsRejected, Instant at) {
}
