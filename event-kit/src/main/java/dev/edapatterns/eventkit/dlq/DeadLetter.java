package dev.edapatterns.eventkit.dlq;

import java.time.Instant;
import java.util.Map;

/**
 * One record of a dead-letter topic as an operator sees it: where it sits, its key and value (UTF-8 text) and its
 * headers (the last value of each name, e.g. the cause headers stamped on the way in).
 */
public record DeadLetter(int partition, long offset, Instant timestamp, String key, String value,
        Map<String, String> headers) {

    /** The position as a paging cursor: {@code partition:offset}. */
    public String position() {
        return partition + ":" + offset;
    }
}
