package dev.edapatterns.eventkit.projection;

/**
 * A record the projection's handler can never apply (not JSON, not its shape, a key it cannot use): the projection sets
 * it aside on the dead-letter topic and moves past it instead of retrying it forever.
 */
public class UnreadableRecord extends Exception {

    public UnreadableRecord(String message) {
        super(message);
    }

    public UnreadableRecord(String message, Throwable cause) {
        super(message, cause);
    }
}
