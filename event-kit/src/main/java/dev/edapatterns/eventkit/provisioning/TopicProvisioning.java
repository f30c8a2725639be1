package dev.edapatterns.eventkit.provisioning;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, before the messaging channels and stores start ({@code PLATFORM_BEFORE}), ensures the topics
 * listed in {@code eventkit.topics} exist and match {@code contracts}; a mismatch stops the app.
 */
@Singleton
public class TopicProvisioning {

    private final EventKitConfig config;
    private final KafkaClients clients;

    TopicProvisioning(EventKitConfig config, KafkaClients clients) {
        this.config = config;
        this.clients = clients;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<Topic<?, ?>> topics = declaredTopics();
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(clients.admin())) {
            new TopicProvisioner(admin).provision(topics, config.topicsMode() == EventKitConfig.TopicsMode.CREATE,
                    config.topicsReplicationFactor());
        }
    }

    /** The catalog entries named by {@code eventkit.topics}; an unknown name fails fast. */
    public List<Topic<?, ?>> declaredTopics() {
        return config.topics().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .<Topic<?, ?>>map(Topics::require).toList();
    }
}
