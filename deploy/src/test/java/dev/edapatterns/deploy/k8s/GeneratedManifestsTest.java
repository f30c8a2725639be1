package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The KafkaTopics and KafkaUsers in {@code deploy/k8s/base/kafka} are what {@link KafkaManifestsGenerator} makes of
 * contracts and the apps' configuration. With {@code -Dk8s.regenerate=true} this test rewrites them instead.
 */
@Tag("unit")
class GeneratedManifestsTest {

    private final Path repo = Repo.root();

    @Test
    void topicsAndUsersAreUpToDateWithContractsAndAppConfig() throws Exception {
        if (Boolean.getBoolean("k8s.regenerate")) {
            KafkaManifestsGenerator.write(repo);
        }
        Path kafka = Repo.kafkaDir(repo);
        assertEquals(KafkaManifestsGenerator.topicsYaml(), Files.readString(kafka.resolve("topics.yaml")),
                "deploy/k8s/base/kafka/topics.yaml differs from contracts Topics.ALL: run "
                        + KafkaManifestsGenerator.COMMAND + " to regenerate");
        assertEquals(KafkaManifestsGenerator.usersYaml(AppSettings.all(repo)), Files.readString(kafka.resolve("users.yaml")),
                "deploy/k8s/base/kafka/users.yaml differs from the apps' topics, groups and transactional ids: run "
                        + KafkaManifestsGenerator.COMMAND + " to regenerate");
    }
}
