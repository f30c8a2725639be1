package dev.edapatterns.eventkit.retry;

/** An operator's command names a record that does not block its key (or partition) on this instance (any more). */
public class NotBlockedException extends RuntimeException {

    public NotBlockedException(String topic, int partition, long offset) {
        super("No record is blocked at " + topic + "/" + partition + "/" + offset + " on this instance");
    }
}
