package dev.edapatterns.importapp.jobs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

/**
 * A request body read under two clocks, so a client that trickles cannot hold an upload permit for long: Quarkus'
 * blocking read gives up after {@code quarkus.http.read-timeout} without a byte (set to {@code import.uploads.read-timeout})
 * and closes the connection, so that client gets no answer (or this class's 408, when it reaches the socket before the
 * close does); and the whole body must arrive within {@code import.uploads.max-duration}, else 408. Either way the
 * permit is released. Any other read failure means the body broke off: 400.
 */
final class TimedUpload extends FilterInputStream {

    static final String TIMEOUT_TYPE = "https://edapatterns.dev/problems/upload-timeout";

    private final long idleNanos;
    private final long deadline;

    TimedUpload(InputStream body, Duration readTimeout, Duration maxDuration) {
        super(body);
        this.idleNanos = readTimeout.toNanos();
        this.deadline = System.nanoTime() + maxDuration.toNanos();
    }

    @Override
    public int read() throws IOException {
        return UploadSpool.readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        long start = System.nanoTime();
        if (start - deadline > 0) {
            throw timeout("The upload took longer than import.uploads.max-duration to arrive.");
        }
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            // the read gave up after waiting about the read timeout: the client went quiet (Quarkus says no more)
            if (System.nanoTime() - start >= idleNanos * 9 / 10) {
                throw timeout("No bytes of the upload arrived for import.uploads.read-timeout.");
            }
            throw new ProblemException(400, "Bad Request", "The upload broke off before its end.",
                    ProblemTypes.MALFORMED_BODY);
        }
    }

    private static ProblemException timeout(String detail) {
        return new ProblemException(408, "Request Timeout", detail, TIMEOUT_TYPE);
    }

    @Override
    public void close() {
        // the request's stream belongs to Quarkus
    }
}
