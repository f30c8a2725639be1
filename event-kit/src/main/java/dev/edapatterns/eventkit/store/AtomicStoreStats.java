package dev.edapatterns.eventkit.store;

/**
 * Counters of an {@link AtomicStore}'s writer in this process (committed work only).
 *
 * @param applied      commands applied by the reducer
 * @param duplicates   commands skipped because their id was applied before (redelivery, producer retry)
 * @param rejected     commands the reducer refused (threw)
 * @param undecodable  command records that could not be deserialized
 * @param transactions committed transactions (one per polled batch)
 * @param aborted      aborted transactions (the batch was replayed from the committed offsets)
 * @param partitions   command partitions this process owns now
 */
public record AtomicStoreStats(long applied, long duplicates, long rejected, long undecodable, long transactions,
        long aborted, int partitions) {
}
