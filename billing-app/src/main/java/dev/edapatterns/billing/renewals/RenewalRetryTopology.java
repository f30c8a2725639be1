package dev.edapatterns.billing.renewals;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.admin.Admin;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.dlq.RetryTopology;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.provisioning.TopicProvisioning;
import io.quarkus.runtime.StartupEvent;

/**
 * At start-up, after event-kit created/verified the topics and before the renewals are consumed: the renewals' retry
 * and DLQ topics ({@code billing.renewals.retry.*}) are declared for this app and have the source's partition count
 * (a user's renewals stay on one partition number everywhere, so one member of the group holds all of them), and the
 * retry timeout exceeds the sum of the delays. Any mismatch stops the app.
 */
@Singleton
public class RenewalRetryTopology {

    private final RetryTopology topology;
    private final TopicProvisioning provisioning;
    private final KafkaClients clients;

    RenewalRetryTopology(TopicProvisioning provisioning, KafkaClients clients, BillingConfig config) {
        this.provisioning = provisioning;
        this.clients = clients;
        RenewalsConfig.Retry retry = config.renewals().retry();
        this.topology = new RetryTopology(Topics.BILLING_RENEWALS.name(), retry.topics(), retry.deadLetterTopic(),
                retry.timeout().toMillis());
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        List<String> declared = provisioning.declaredTopics().stream().map(t -> t.name()).toList();
        List<String> missing = new ArrayList<>();
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

    /** The source first, then the retry topics in order: what the renewal consumer subscribes to. */
    public List<String> consumed() {
        List<String> topics = new ArrayList<>();
        topics.add(topology.source());
        topics.addAll(topology.retryTopics());
        return topics;
    }

    private List<String> all() {
        List<String> all = consumed();
        all.add(topology.deadLetterTopic());
        return all;
    }

    public RetryTopology topology() {
        return topology;
    }
}
