package dev.edapatterns.order.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.projection.UnreadableRecord;

/** The hand-written instant parse reads what Jackson reads, and leaves everything else to Jackson. */
class IsoInstantDeserializerTest {

    @Test
    void theContractsShapesParseAsInstantParseDoes() {
        for (String s : List.of("2026-12-01T00:00:00Z", "2026-12-01T10:15:30.1Z", "2026-12-01T10:15:30.123Z",
                "2026-12-01T10:15:30.123456Z", "2026-12-01T10:15:30.123456789Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2024-02-29T12:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z")) {
            assertEquals(Instant.parse(s), IsoInstantDeserializer.parse(s), s);
        }
    }

    @Test
    void anythingElseIsLeftToJackson() {
        for (String s : List.of("2026-12-01T10:15:30+01:00", "2026-12-01t10:15:30z", "2026-02-30T00:00:00Z",
                "2026-12-01T24:00:00Z", "2026-12-01T10:15:30.Z", "2026-12-01T10:15:30.1234567890Z", "2026-12-01 10:15:30Z",
                "+2026-12-01T10:15:30Z", "2026-1a-01T00:00:00Z", "1733011200", "")) {
            assertNull(IsoInstantDeserializer.parse(s), s);
        }
    }

    @Test
    void aContactReadsAsJsonMapperReadsIt() throws Exception {
        CustomersHandler handler = new CustomersHandler("customers_v1");
        for (String updatedAt : List.of("\"2026-12-01T10:15:30.5Z\"", "\"2026-12-01T10:15:30+01:00\"", "1733011200",
                "1733011200.250", "null")) {
            String json = "{\"email\":\"a@b.example\",\"name\":\"A\",\"updatedAt\":" + updatedAt + "}";
            Contact expected = Json.mapper().readValue(json, Contact.class);
            assertEquals(expected, handler.read(record(json)).contact(), json);
        }
        String invalid = "{\"email\":\"a@b.example\",\"updatedAt\":\"2026-02-30T00:00:00Z\"}";
        assertThrows(Exception.class, () -> Json.mapper().readValue(invalid, Contact.class));
        assertThrows(UnreadableRecord.class, () -> handler.read(record(invalid)));
    }

    private static ConsumerRecord<String, byte[]> record(String json) {
        return new ConsumerRecord<>("import.contacts", 0, 0, 0, TimestampType.CREATE_TIME, -1, -1, "a@b.example",
                json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    }
}
