package dev.edapatterns.contracts.retry;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * An operator's decision to skip a record that blocked a consumer with blocking retry, on a compacted skips topic
 * (key {@code consumer/topic/partition/offset}): the consumer never applies that record, also after a restart or an
 * offset rewind. Kept with what was known when the decision was taken, for the audit trail.
 *
 * @param consumer the logical consumer (e.g. {@code ledger}), not the group id: a new group still honours the decision
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SkipDecision(String consumer, String topic, int partition, long offset, String recordKey, int attempts,
        String lastError, String reason, Instant decidedAt) {

    /** The key of the decision about one record. */
    public static String key(String consumer, String topic, int partition, long offset) {
        return consumer + "/" + topic + "/" + partition + "/" + offset;
    }

    public String key() {
        return key(consumer, topic, partition, offset);
    }
}
