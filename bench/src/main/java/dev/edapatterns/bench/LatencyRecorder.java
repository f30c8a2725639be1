package dev.edapatterns.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies from many threads without locks or per-sample allocation: 100 µs buckets up to 60 s (beyond: the last
 * bucket), plus the exact maximum. Percentiles are bucket upper bounds, so they err by at most 0.1 ms.
 */
final class LatencyRecorder {

    private static final long BUCKET_MICROS = 100;
    private static final int BUCKETS = 600_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong maxMicros = new AtomicLong();

    void record(long micros) {
        long m = Math.max(0, micros);
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, m / BUCKET_MICROS));
        samples.incrementAndGet();
        maxMicros.accumulateAndGet(m, Math::max);
    }

    long samples() {
        return samples.get();
    }

    double maxMs() {
        return maxMicros.get() / 1000.0;
    }

    /** The latency (ms) below which a fraction {@code p} of the samples fall. */
    double percentileMs(double p) {
        long total = samples.get();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_MICROS / 1000.0;
            }
        }
        return maxMs();
    }
}
