package dev.edapatterns.eventkit.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.testing.TestKafka;

class TopicProvisionerTest {

    static Admin admin;
    static TopicProvisioner provisioner;

    @BeforeAll
    static void admin() {
        admin = Admin.create(TestKafka.clients().admin());
        provisioner = new TopicProvisioner(admin);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void createsMissingTopicsAsDeclaredThenOnlyVerifies() throws Exception {
        Topic<String, Country> compacted = Topic.builder(TestTopics.unique("prov"), Country.class).compacted().partitions(3).build();
        Topic<String, Country> retained = Topic.builder(TestTopics.unique("prov"), Country.class)
                .retention(Duration.ofHours(1)).build();

        assertEquals(List.of(compacted.name(), retained.name()),
                provisioner.provision(List.of(compacted, retained), true, Optional.empty()));

        assertEquals(3, admin.describeTopics(List.of(compacted.name())).allTopicNames().get().get(compacted.name()).partitions().size());
        var configs = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, compacted.name()),
                new ConfigResource(ConfigResource.Type.TOPIC, retained.name()))).all().get(30, TimeUnit.SECONDS);
        assertEquals("compact", configs.get(new ConfigResource(ConfigResource.Type.TOPIC, compacted.name()))
                .get("cleanup.policy").value());
        assertEquals("3600000", configs.get(new ConfigResource(ConfigResource.Type.TOPIC, retained.name()))
                .get("retention.ms").value());

        // second start: nothing to create, verification passes (also in verify-only mode)
        assertEquals(List.of(), provisioner.provision(List.of(compacted, retained), true, Optional.empty()));
        assertEquals(List.of(), provisioner.provision(List.of(compacted, retained), false, Optional.empty()));
    }

    @Test
    void refusesAWrongPartitionCountOrCleanupPolicy() throws Exception {
        Topic<String, Country> declared = Topic.builder(TestTopics.unique("prov"), Country.class).compacted().build(); // 6
        Topic<String, Country> notCompacted = Topic.builder(TestTopics.unique("prov"), Country.class).compacted().build();
        admin.createTopics(List.of(new NewTopic(declared.name(), 2, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(notCompacted.name(), 6, (short) 1))).all().get(30, TimeUnit.SECONDS);

        TopicProvisioner.TopicMismatchException e = assertThrows(TopicProvisioner.TopicMismatchException.class,
                () -> provisioner.provision(List.of(declared, notCompacted), true, Optional.empty()));

        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("topic '" + declared.name() + "' has 2 partitions but the catalog (contracts) declares 6"),
                e.getMessage());
        assertTrue(e.getMessage().contains("topic '" + notCompacted.name() + "' has cleanup.policy=delete but the catalog"
                + " (contracts) declares compact"), e.getMessage());
        assertEquals(2, admin.describeTopics(List.of(declared.name())).allTopicNames().get().get(declared.name()).partitions().size(),
                "never 'fixed' silently");
    }

    @Test
    void verifyOnlyModeRefusesAMissingTopicAndCreatesNothing() throws Exception {
        Topic<String, Country> missing = Topic.builder(TestTopics.unique("prov"), Country.class).build();

        TopicProvisioner.TopicMismatchException e = assertThrows(TopicProvisioner.TopicMismatchException.class,
                () -> provisioner.provision(List.of(missing), false, Optional.empty()));

        assertTrue(e.getMessage().contains("topic '" + missing.name() + "' does not exist"), e.getMessage());
        assertFalse(admin.listTopics().names().get().contains(missing.name()));
    }
}
