package dev.edapatterns.contracts.retry;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The latest redrive of one dead letter, on a compacted redrives topic (key {@code dlqTopic/partition/offset}): who
 * re-produced it, when, and where the copy went. Written in the same transaction as that copy, so the two never
 * disagree; a forced redrive replaces the record and counts up {@code redrives}.
 *
 * @param deadLetterTopic the dead-letter topic the letter sits in ({@code partition}, {@code offset} are its position)
 * @param redrivenBy      the principal of the operator
 * @param toTopic         where the copy was written ({@code toPartition}, {@code toOffset}: its position)
 * @param redrives        how many times this letter was redriven so far, this one included
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Redrive(String deadLetterTopic, int partition, long offset, String redrivenBy, Instant redrivenAt,
        String toTopic, int toPartition, long toOffset, int redrives) {

    /** The key of the redrive record of one dead letter. */
    public static String key(String deadLetterTopic, int partition, long offset) {
        return deadLetterTopic + "/" + partition + "/" + offset;
    }

    public String key() {
        return key(deadLetterTopic, partition, offset);
    }
}
