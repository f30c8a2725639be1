package dev.edapatterns.contracts;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;

/** JSON value serializer that stamps the {@code schema-version} header on every record (tombstones excepted). */
public class EventSerializer<T> implements Serializer<T> {

    /** One writer per record type, resolved once: hot paths serialize thousands of records a second. */
    private static final ClassValue<ObjectWriter> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter computeValue(Class<?> type) {
            return Json.mapper().writerFor(type);
        }
    };

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (data == null) {
            return null;
        }
        if (headers != null) {
            headers.remove(EventHeaders.SCHEMA_VERSION);
            headers.add(EventHeaders.SCHEMA_VERSION,
                    Integer.toString(EventHeaders.schemaVersionOf(data.getClass())).getBytes(StandardCharsets.UTF_8));
        }
        try {
            return WRITERS.get(data.getClass()).writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException("Cannot write " + data.getClass().getSimpleName() + " for topic " + topic, e);
        }
    }
}
