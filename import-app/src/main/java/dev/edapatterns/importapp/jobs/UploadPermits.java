package dev.edapatterns.importapp.jobs;

import java.util.concurrent.Semaphore;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.importapp.ImportConfig;

/**
 * Bounds concurrent uploads per instance (disk, CPU, producers); the next one gets 429 at once, never waits. A permit is
 * taken before the first byte of a body is read (text/csv and multipart alike) and a trickling client loses it after
 * {@code import.uploads.read-timeout}.
 */
@Singleton
public class UploadPermits {

    /** A permit to release in {@code finally} (try-with-resources). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore permits;

    UploadPermits(ImportConfig config) {
        this.permits = new Semaphore(config.uploads().maxConcurrent());
    }

    public Permit acquire() {
        if (!permits.tryAcquire()) {
            throw new ProblemException(429, "Too Many Requests",
                    "Too many uploads are being processed (import.uploads.max-concurrent); retry shortly.",
                    ProblemTypes.TOO_MANY_REQUESTS);
        }
        return permits::release;
    }
}
