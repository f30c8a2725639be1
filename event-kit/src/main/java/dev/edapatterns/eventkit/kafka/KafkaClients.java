package dev.edapatterns.eventkit.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Client properties for the event-kit's own consumers, producers and admin clients, derived from one base map
 * (in Quarkus: every {@code kafka.*} property, the same the messaging connector uses). Each client gets only the
 * keys it knows, so no "supplied but not used" warnings, and the project's safe defaults.
 */
public final class KafkaClients {

    private final Map<String, Object> base;

    public KafkaClients(Map<String, ?> base) {
        this.base = Map.copyOf(base);
        if (!this.base.containsKey(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("kafka bootstrap.servers is not configured (set kafka.bootstrap.servers)");
        }
    }

    public static KafkaClients of(String bootstrapServers) {
        return new KafkaClients(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The same base plus/over {@code extra}: e.g. test overrides. */
    public KafkaClients with(Map<String, ?> extra) {
        Map<String, Object> merged = new HashMap<>(base);
        merged.putAll(extra);
        return new KafkaClients(merged);
    }

    public String bootstrapServers() {
        return String.valueOf(base.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    public Object get(String key) {
        return base.get(key);
    }

    /** Consumers commit only after processing: auto-commit off unless a caller overrides it. */
    public Map<String, Object> consumer(Map<String, ?> overrides) {
        Map<String, Object> p = filter(ConsumerConfig.configNames());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG); // a group is always chosen on purpose, never inherited
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(overrides);
        return p;
    }

    /** Producers default to acks=all + idempotence. */
    public Map<String, Object> producer(Map<String, ?> overrides) {
        Map<String, Object> p = filter(ProducerConfig.configNames());
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(overrides);
        return p;
    }

    /**
     * First retry backoff of a transactional producer, unless {@code kafka.retry.backoff.ms} says otherwise. A
     * transaction begun right after the previous one committed finds the coordinator still writing that one's markers:
     * the broker answers {@code CONCURRENT_TRANSACTIONS} and the client waits its retry backoff, 100 ms by default: up
     * to 100 ms per transaction for a busy writer (ADR 0015). While the condition lasts the backoff still doubles up to
     * {@code retry.backoff.max.ms} (1 s).
     */
    static final int TRANSACTION_RETRY_BACKOFF_MS = 10;

    /** {@link #producer} with a {@code transactional.id}, and {@link #TRANSACTION_RETRY_BACKOFF_MS} unless configured. */
    public Map<String, Object> transactionalProducer(String transactionalId, Map<String, ?> overrides) {
        Map<String, Object> p = producer(overrides);
        p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, TRANSACTION_RETRY_BACKOFF_MS);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return p;
    }

    public Map<String, Object> admin() {
        return filter(AdminClientConfig.configNames());
    }

    private Map<String, Object> filter(Set<String> known) {
        Map<String, Object> p = new HashMap<>();
        base.forEach((k, v) -> {
            if (known.contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }
}
