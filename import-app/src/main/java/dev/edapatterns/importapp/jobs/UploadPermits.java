package dev.edapatterns.importapp.jobs;

import java.util.concurrent.Semaphore;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.importapp.ImportConfig;

/** Bounds concurrent uploads per instance (disk, CPU, producers); the next one gets 429 at once, never waits. */
@Singleton
public class UploadPermits {

    private final Semaphore permits;

    UploadPermits(ImportConfig config) {
        this.permits = new Semaphore(config.uploads().maxConcurrent());
    }

    /** A permit to release in {@code finally}. */
    public AutoCloseable acquire() {
        if (!permits.tryAcquire()) {
            throw new ProblemException(429, "Too Many Requests",
                    "Too many uploads are being processed (import.uploads.max-concurrent); retry shortly.");
        }
        return permits::release;
    }
}
