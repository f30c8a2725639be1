package dev.edapatterns.eventkit.retry;

import java.time.Instant;

/**
 * A record that holds its key (the key's later records wait behind it): what an operator needs to decide, without the
 * record's value. {@code nextAttemptAt} is null when no attempt is scheduled (a permanent failure or the attempts are
 * exhausted): only "retry" or "skip" moves it.
 */
public record BlockedRecord(String topic, int partition, long offset, String key, int attempts, String lastError,
        boolean permanent, Instant blockedSince, Instant lastAttemptAt, Instant nextAttemptAt) {
}
