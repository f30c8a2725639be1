package dev.edapatterns.eventkit.dlq;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

import dev.edapatterns.contracts.EventDeserializer;
import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.Topic;

/**
 * The value a redrive writes for a dead letter's value. A letter may have waited in the DLQ since an older version of
 * its contract: copied byte for byte, it would bring back whatever that version carried and the current one dropped
 * on purpose (a secret, say). {@link #current} re-encodes it through today's contract instead.
 */
@FunctionalInterface
public interface RedriveEncoding {

    /**
     * @param topic   where the copy goes
     * @param headers the copy's headers, already filtered; an encoding may restamp some (e.g. {@code schema-version})
     * @param value   the dead letter's value as stored (null for a tombstone)
     */
    byte[] encode(String topic, Headers headers, byte[] value);

    /** The letter's bytes as they are: for topics whose contract never dropped anything. */
    RedriveEncoding AS_IS = (topic, headers, value) -> value;

    /**
     * Decoded as the contract's current value type, whose tolerant reader ignores members the type no longer has, and
     * encoded again (the {@code schema-version} header restamped to the current version): only what today's type
     * holds survives. A value that does not decode as that type at all (the record that could never be read, the
     * reason it was dead-lettered) goes to {@code unreadable}.
     */
    static <V> RedriveEncoding current(Topic<?, V> contract, RedriveEncoding unreadable) {
        EventDeserializer<V> reader = contract.valueDeserializer();
        EventSerializer<V> writer = contract.valueSerializer();
        return (topic, headers, value) -> {
            if (value == null) {
                return null;
            }
            V decoded;
            try {
                decoded = reader.deserialize(topic, headers, value);
            } catch (SerializationException e) {
                decoded = null;
            }
            return decoded == null ? unreadable.encode(topic, headers, value) : writer.serialize(topic, headers, decoded);
        };
    }
}
