package dev.edapatterns.eventkit.retry;

/**
 * Thrown by a handler when retrying cannot help (an invalid or unreadable record): the record stays blocked, but no
 * attempt is scheduled; an operator fixes the cause and retries, or skips it.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
