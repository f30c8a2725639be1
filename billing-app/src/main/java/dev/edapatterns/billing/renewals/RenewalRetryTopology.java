package dev.edapatterns.billing.renewals;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.eventkit.dlq.RetryTopology;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.provisioning.TopicProvisioning;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, after event-kit created/verified the topics and before the channels start: the renewals' retry and
 * DLQ topics (from the channel's config) are declared for this app and have the source's partition count, and the
 * retry timeout exceeds the sum of the delays. Any mismatch stops the app.
 */
@Singleton
public class RenewalRetryTopology {

    private final RetryTopology topology;
    private final TopicProvisioning provisioning;
    private final KafkaClients clients;

    RenewalRetryTopology(TopicProvisioning provisioning, KafkaClients clients,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.topic") String source,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.delayed-retry-topic.topics") List<String> retryTopics,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.dead-letter-queue.topic") String dlq,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.delayed-retry-topic.timeout") long timeout) {
        this.provisioning = provisioning;
        this.clients = clients;
        this.topology = new RetryTopology(source, retryTopics, dlq, timeout);
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        List<String> declared = provisioning.declaredTopics().stream().map(t -> t.name()).toList();
        List<String> missing = new java.util.ArrayList<>();
        for (String topic : all()) {
            if (!declared.contains(topic)) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Renewal topics " + missing + " are not in eventkit.topics (declare them in contracts "
                    + "and list them)");
        }
        try (Admin admin = Admin.create(clients.admin())) {
            topology.verify(admin);
        }
    }

    private List<String> all() {
        List<String> all = new java.util.ArrayList<>(topology.retryTopics());
        all.add(topology.source());
        all.add(topology.deadLetterTopic());
        return all;
    }

    public RetryTopology topology() {
        return topology;
    }
}
