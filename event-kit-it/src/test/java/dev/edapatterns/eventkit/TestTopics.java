package dev.edapatterns.eventkit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.provisioning.TopicProvisioner;
import dev.edapatterns.eventkit.testing.TestKafka;

/** Fresh, uniquely named topics on the test broker, so test classes never see each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    public static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void create(Topic<?, ?>... topics) {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            new TopicProvisioner(admin).provision(List.of(topics), true, Optional.empty());
        }
    }
}
