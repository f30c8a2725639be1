package dev.edapatterns.eventkit.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import dev.edapatterns.contracts.Topic;

/**
 * Makes the broker's topics match the catalog: creates the missing ones (mode {@code create}), then verifies
 * partitions and {@code cleanup.policy} of every declared topic. A mismatch is never "fixed" silently: changing
 * partitions re-keys data, so start-up fails with a message that says what differs.
 */
public final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** What was created; throws {@link TopicMismatchException} when any topic differs from its declaration. */
    public List<String> provision(Collection<? extends Topic<?, ?>> topics, boolean create, Optional<Short> replicationFactor) {
        Set<String> existing = call(admin.listTopics().names());
        List<String> created = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            if (existing.contains(topic.name())) {
                continue;
            }
            if (!create) {
                problems.add("topic '" + topic.name() + "' does not exist (verify-only mode: it must be created outside"
                        + " the app, e.g. by a Strimzi KafkaTopic, with " + topic.partitions() + " partitions and cleanup.policy="
                        + topic.cleanupPolicy().configValue() + ")");
                continue;
            }
            NewTopic newTopic = new NewTopic(topic.name(), Optional.of(topic.partitions()), replicationFactor)
                    .configs(topic.topicConfigs());
            try {
                admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another app created it meanwhile: verify below
                    throw new IllegalStateException("Cannot create topic '" + topic.name() + "': " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw new IllegalStateException("Cannot create topic '" + topic.name() + "' within " + TIMEOUT, e);
            }
        }
        if (!created.isEmpty()) {
            LOG.infof("Created topics %s", created);
        }
        List<? extends Topic<?, ?>> present = topics.stream()
                .filter(t -> problems.stream().noneMatch(p -> p.startsWith("topic '" + t.name() + "'")))
                .toList();
        problems.addAll(verify(present));
        if (!problems.isEmpty()) {
            throw new TopicMismatchException(problems);
        }
        return created;
    }

    /** Metadata of a just-created topic reaches every part of the broker a moment later: retry briefly. */
    private List<String> verify(List<? extends Topic<?, ?>> topics) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return verifyOnce(topics);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof ExecutionException ee && ee.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    private List<String> verifyOnce(List<? extends Topic<?, ?>> topics) {
        if (topics.isEmpty()) {
            return List.of();
        }
        List<String> names = topics.stream().map(Topic::name).toList();
        Map<String, TopicDescription> descriptions = call(admin.describeTopics(names).allTopicNames());
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = call(admin.describeConfigs(resources).all());
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            int partitions = descriptions.get(topic.name()).partitions().size();
            if (partitions != topic.partitions()) {
                problems.add("topic '" + topic.name() + "' has " + partitions + " partitions but the catalog (contracts) declares "
                        + topic.partitions());
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            Set<String> actual = Set.of(policy.replace(" ", "").split(","));
            if (!actual.equals(Set.of(topic.cleanupPolicy().configValue()))) {
                problems.add("topic '" + topic.name() + "' has cleanup.policy=" + policy + " but the catalog (contracts) declares "
                        + topic.cleanupPolicy().configValue());
            }
        }
        return problems;
    }

    private static <T> T call(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while talking to Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getMessage(), e);
        }
    }

    /** Start-up failure naming every topic that differs from the catalog. */
    public static final class TopicMismatchException extends RuntimeException {
        private final List<String> problems;

        public TopicMismatchException(List<String> problems) {
            super("Kafka topics do not match the event catalog:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
