package dev.edapatterns.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Header names every app agrees on. */
public final class EventHeaders {

    /** Schema version of the value's record type (decimal string). */
    public static final String SCHEMA_VERSION = "schema-version";

    private static final Map<Class<?>, Integer> VERSIONS = new ConcurrentHashMap<>();

    private EventHeaders() {
    }

    /** The {@link SchemaVersion} of a record type, 1 when it has none. */
    public static int schemaVersionOf(Class<?> type) {
        return VERSIONS.computeIfAbsent(type, t -> {
            SchemaVersion v = t.getAnnotation(SchemaVersion.class);
            return v == null ? 1 : v.value();
        });
    }

    /** The schema version a record was written with, or -1 when it carries none (or one that is not a number). */
    public static int schemaVersion(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(SCHEMA_VERSION);
        if (h == null || h.value() == null) {
            return -1;
        }
        try {
            return Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
