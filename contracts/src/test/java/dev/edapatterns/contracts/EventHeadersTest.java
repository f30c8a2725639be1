package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.imports.ImportJob;

@Tag("unit")
class EventHeadersTest {

    private static RecordHeaders headers(String... versions) {
        RecordHeaders headers = new RecordHeaders();
        for (String v : versions) {
            headers.add(EventHeaders.SCHEMA_VERSION, v == null ? null : v.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Test
    void theLastVersionHeaderCountsAndSpacesAroundTheNumberDoNot() {
        assertEquals(7, EventHeaders.schemaVersion(headers("1", " 7 ")));
        assertEquals(12, EventHeaders.schemaVersion(headers("12")));
    }

    @Test
    void aMissingEmptyOrNonNumericVersionIsMinusOne() {
        assertEquals(-1, EventHeaders.schemaVersion(new RecordHeaders()));
        assertEquals(-1, EventHeaders.schemaVersion(headers((String) null)));
        assertEquals(-1, EventHeaders.schemaVersion(headers("")));
        assertEquals(-1, EventHeaders.schemaVersion(headers("2", "1.0")), "the last header decides, even when unreadable");
    }

    @Test
    void otherHeadersAreNotMistakenForTheVersion() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("schema-version-x", "5".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, EventHeaders.schemaVersion(headers));
    }

    @SchemaVersion(4)
    record V4() {
    }

    @Test
    void aTypesVersionComesFromItsAnnotation() {
        assertEquals(4, EventHeaders.schemaVersionOf(V4.class));
        assertEquals(ImportJob.class.getAnnotation(SchemaVersion.class).value(), EventHeaders.schemaVersionOf(ImportJob.class));
        assertEquals(1, EventHeaders.schemaVersionOf(Integer.class));
    }
}
