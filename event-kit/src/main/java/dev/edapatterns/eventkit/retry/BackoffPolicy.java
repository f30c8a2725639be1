package dev.edapatterns.eventkit.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Exponential backoff of a blocking retry, as data: the delay before attempt n+1 is
 * {@code min(maxDelay, initialDelay * multiplier^(n-1))}; after {@code maxAttempts} failed attempts (empty: never)
 * no attempt is scheduled any more and the record waits for an operator (retry now or skip), since moving on by
 * itself would break the order the blocking retry exists for.
 */
public record BackoffPolicy(Duration initialDelay, double multiplier, Duration maxDelay, OptionalInt maxAttempts) {

    public BackoffPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxAttempts, "maxAttempts");
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be > 0: " + initialDelay);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be >= 1: " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
        if (maxAttempts.isPresent() && maxAttempts.getAsInt() < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1 (or absent for infinite): " + maxAttempts);
        }
    }

    /** Retries forever. */
    public static BackoffPolicy infinite(Duration initialDelay, double multiplier, Duration maxDelay) {
        return new BackoffPolicy(initialDelay, multiplier, maxDelay, OptionalInt.empty());
    }

    /** The delay after the {@code failedAttempts}-th failed attempt (1-based). */
    public Duration delayAfter(int failedAttempts) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
        return millis >= maxDelay.toMillis() ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** True when no further attempt is scheduled after this many failures. */
    public boolean exhausted(int failedAttempts) {
        return maxAttempts.isPresent() && failedAttempts >= maxAttempts.getAsInt();
    }
}
