package dev.edapatterns.contracts;

import java.io.IOException;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Tolerant JSON deserializer of a message record. Usable from {@code application.properties} through the no-arg
 * constructor: {@code mp.messaging.incoming.x.value.deserializer=dev.edapatterns.contracts.EventDeserializer} and
 * {@code mp.messaging.incoming.x.eventkit.value.type=<record class>}.
 */
public class EventDeserializer<T> implements Deserializer<T> {

    public static final String VALUE_TYPE_CONFIG = "eventkit.value.type";
    public static final String KEY_TYPE_CONFIG = "eventkit.key.type";

    private JavaType type;
    /** The mapper's reader for {@link #type}, resolved once. */
    private ObjectReader reader;

    public EventDeserializer() {
    }

    public EventDeserializer(JavaType type) {
        this.type = type;
    }

    public EventDeserializer(Class<T> type) {
        this(Json.mapper().constructType(type));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (type != null) {
            return;
        }
        String key = isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG;
        Object name = configs.get(key);
        if (name == null) {
            throw new IllegalArgumentException(EventDeserializer.class.getSimpleName() + " needs '" + key + "' (a record class name)");
        }
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            type = Json.mapper().constructType(Class.forName(name.toString(), true, cl != null ? cl : getClass().getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("'" + key + "' names an unknown class: " + name, e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (type == null) {
            throw new IllegalStateException(EventDeserializer.class.getSimpleName() + " has no target type configured");
        }
        try {
            if (reader == null) {
                reader = Json.mapper().readerFor(type);
            }
            return reader.readValue(data);
        } catch (IOException e) {
            throw new SerializationException("Record on topic " + topic + " is not a valid " + type.getRawClass().getSimpleName()
                    + ": " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    @Override
    public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    public JavaType type() {
        return type;
    }
}
