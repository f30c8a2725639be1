package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.reference.Country;

/** Schema evolution by added optional fields works in both directions, and the version travels in a header. */
@Tag("unit")
class TolerantReaderTest {

    /** What a later release of {@link Country} could look like: one more optional field. */
    @SchemaVersion(2)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CountryV2(String code, String name, String currency, List<String> timeZones, String callingCode) {
    }

    @Test
    void olderReaderAcceptsNewerWritersRecord() {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = new EventSerializer<CountryV2>().serialize("reference.countries", headers,
                new CountryV2("FR", "France", "EUR", List.of("Europe/Paris"), "+33"));

        assertEquals(2, EventHeaders.schemaVersion(headers));
        Country read = Topics.REFERENCE_COUNTRIES.valueDeserializer().deserialize("reference.countries", headers, bytes);
        assertEquals(new Country("FR", "France", "EUR", List.of("Europe/Paris")), read);
    }

    @Test
    void newerReaderAcceptsOlderWritersRecord() {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = Topics.REFERENCE_COUNTRIES.valueSerializer().serialize("reference.countries", headers,
                new Country("JP", "Japan", "JPY", List.of("Asia/Tokyo")));

        assertEquals(1, EventHeaders.schemaVersion(headers));
        CountryV2 read = new EventDeserializer<>(CountryV2.class).deserialize("reference.countries", headers, bytes);
        assertEquals("JP", read.code());
        assertEquals("Japan", read.name());
        assertEquals("JPY", read.currency());
        assertEquals(List.of("Asia/Tokyo"), read.timeZones());
        assertNull(read.callingCode(), "a field the writer did not know is absent, not an error");
    }

    @Test
    void unknownFieldsAnywhereInTheTreeAreIgnored() {
        String json = """
                {"code":"DE","name":"Germany","currency":"EUR","timeZones":["Europe/Berlin"],
                 "region":{"continent":"Europe"},"tags":["x"],"population":83000000}""";
        Country read = Topics.REFERENCE_COUNTRIES.valueDeserializer()
                .deserialize("reference.countries", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Country("DE", "Germany", "EUR", List.of("Europe/Berlin")), read);
    }

    @Test
    void anEnumConstantFromANewerWriterReadsAsNull() {
        String json = """
                {"channelId":"c","seq":1,"importId":"i","type":"PAUSED","jobsDone":1,"jobsTotal":2}""";
        var event = Topics.PROGRESS.valueDeserializer().deserialize("progress", json.getBytes(StandardCharsets.UTF_8));
        assertNull(event.type());
        assertEquals(2, event.jobsTotal());
    }
}
