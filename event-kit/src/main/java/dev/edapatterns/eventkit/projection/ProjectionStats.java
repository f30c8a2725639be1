package dev.edapatterns.eventkit.projection;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Counters of one projection version, read by metrics and answers (thread-safe). */
public final class ProjectionStats {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicReference<Instant> lastRecordAt = new AtomicReference<>();

    void committed(int batchRecords, int batchDeadLettered, Instant newest) {
        batches.incrementAndGet();
        records.addAndGet(batchRecords);
        deadLettered.addAndGet(batchDeadLettered);
        applied(newest);
    }

    void failed() {
        failedBatches.incrementAndGet();
    }

    void applied(Instant newest) {
        if (newest != null) {
            lastRecordAt.accumulateAndGet(newest, (a, b) -> a == null || b.isAfter(a) ? b : a);
        }
    }

    public long batches() {
        return batches.get();
    }

    public long failedBatches() {
        return failedBatches.get();
    }

    public long records() {
        return records.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public Optional<Instant> lastRecordAt() {
        return Optional.ofNullable(lastRecordAt.get());
    }
}
