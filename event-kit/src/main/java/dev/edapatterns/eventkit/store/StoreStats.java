package dev.edapatterns.eventkit.store;

import java.time.Duration;
import java.util.Optional;

/**
 * What a store has done so far.
 *
 * @param records      records read from the topic (including tombstones and skipped ones)
 * @param skipped      records that could not be deserialized: counted and skipped, never fatal
 * @param entries      keys in memory now
 * @param lag          records on the topic not yet applied (sum over partitions)
 * @param loadDuration time from start to loaded, empty while loading
 */
public record StoreStats(String topic, long records, long skipped, int entries, long lag, Optional<Duration> loadDuration) {
}
