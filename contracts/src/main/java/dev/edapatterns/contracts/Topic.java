package dev.edapatterns.contracts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JavaType;

/**
 * One topic of the event catalog: its name, key and value types, partitions, cleanup policy, retention and the
 * app that owns it. Apps never hard-code these facts; they name a {@link Topics} constant.
 *
 * @param transactional written in Kafka transactions, so every reader must use {@code isolation.level=read_committed}
 * @param atomicStoreState the store topic of an event-kit atomic store: {@code valueType} is the state of a key, and
 *        each record wraps it in the store's envelope (version, applied command ids), which is event-kit's business,
 *        not part of this catalog; read and write these values through event-kit's {@code StoredState.topic(topic)}
 */
public record Topic<K, V>(String name, Class<K> keyType, JavaType valueType, int partitions, CleanupPolicy cleanupPolicy,
        Optional<Duration> retention, OwnerApp owner, boolean transactional, String description, boolean atomicStoreState) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
        if (keyType != String.class) {
            throw new IllegalArgumentException("keys are strings in this catalog");
        }
    }

    /** Starts a declaration of a topic keyed by a string. */
    public static <V> Builder<V> builder(String name, Class<V> valueType) {
        return new Builder<>(name, Json.mapper().constructType(valueType));
    }

    /** For generic values such as {@code List<String>}. */
    public static <V> Builder<V> builder(String name, JavaType valueType) {
        return new Builder<>(name, valueType);
    }

    /** Topic-level configs to create it with: {@code cleanup.policy} and, when set, {@code retention.ms}. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        retention.ifPresent(r -> configs.put("retention.ms", Long.toString(r.toMillis())));
        return configs;
    }

    @SuppressWarnings("unchecked")
    public Serializer<K> keySerializer() {
        return (Serializer<K>) new StringSerializer();
    }

    @SuppressWarnings("unchecked")
    public Deserializer<K> keyDeserializer() {
        return (Deserializer<K>) new StringDeserializer();
    }

    public EventSerializer<V> valueSerializer() {
        requirePlainValues();
        return new EventSerializer<>();
    }

    public EventDeserializer<V> valueDeserializer() {
        requirePlainValues();
        return new EventDeserializer<>(valueType);
    }

    /** The values of a store topic are not {@code V} itself, so they must not be read or written as if they were. */
    private void requirePlainValues() {
        if (atomicStoreState) {
            throw new IllegalStateException(name + " holds atomic store envelopes around " + valueType.getRawClass().getSimpleName()
                    + ": read and write it through event-kit's StoredState.topic(" + name + ")");
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a topic; defaults: 6 partitions, delete, broker retention, not transactional. */
    public static final class Builder<V> {
        private final String name;
        private final JavaType valueType;
        private int partitions = Topics.DEFAULT_PARTITIONS;
        private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE;
        private Duration retention;
        private OwnerApp owner;
        private boolean transactional;
        private boolean atomicStoreState;
        private String description = "";

        private Builder(String name, JavaType valueType) {
            this.name = name;
            this.valueType = valueType;
        }

        public Builder<V> partitions(int partitions) { this.partitions = partitions; return this; }
        public Builder<V> compacted() { this.cleanupPolicy = CleanupPolicy.COMPACT; return this; }
        public Builder<V> cleanupPolicy(CleanupPolicy policy) { this.cleanupPolicy = policy; return this; }
        public Builder<V> retention(Duration retention) { this.retention = retention; return this; }
        public Builder<V> owner(OwnerApp owner) { this.owner = owner; return this; }
        public Builder<V> transactional() { this.transactional = true; return this; }
        public Builder<V> description(String description) { this.description = description; return this; }
        /** The store topic of an atomic store whose state is {@code V} (see {@link Topic#atomicStoreState()}). */
        public Builder<V> atomicStoreState() { this.atomicStoreState = true; return this; }

        public Topic<String, V> build() {
            return new Topic<>(name, String.class, valueType, partitions, cleanupPolicy, Optional.ofNullable(retention), owner,
                    transactional, description, atomicStoreState);
        }
    }
}
