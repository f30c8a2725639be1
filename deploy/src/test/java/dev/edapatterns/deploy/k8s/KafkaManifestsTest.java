package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;

/** The Strimzi resources against contracts (topics) and the apps' configuration (users and their ACLs). */
@Tag("unit")
class KafkaManifestsTest {

    private static final BaseManifests BASE = new BaseManifests();
    private static final String CLUSTER = KafkaManifestsGenerator.CLUSTER;

    @Test
    void kraftClusterHasThreeControllersThreeBrokersReplicationThreeMinIsrTwo() {
        Kafka kafka = BASE.named(Kafka.class, CLUSTER).orElseThrow(() -> new AssertionError("no Kafka " + CLUSTER));
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertEquals("3", String.valueOf(config.get("default.replication.factor")));
        assertEquals("2", String.valueOf(config.get("min.insync.replicas")));
        assertEquals("3", String.valueOf(config.get("offsets.topic.replication.factor")));
        assertEquals("3", String.valueOf(config.get("transaction.state.log.replication.factor")));
        assertEquals("2", String.valueOf(config.get("transaction.state.log.min.isr")));
        assertEquals("false", String.valueOf(config.get("auto.create.topics.enable")), "topics come from KafkaTopics only");

        List<KafkaNodePool> pools = BASE.all(KafkaNodePool.class);
        pools.forEach(p -> assertEquals(CLUSTER, p.getMetadata().getLabels().get("strimzi.io/cluster"), p.getMetadata().getName()));
        assertEquals(3, replicas(pools, ProcessRoles.BROKER), "brokers");
        assertEquals(3, replicas(pools, ProcessRoles.CONTROLLER), "KRaft controllers");

        GenericKafkaListener listener = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getPort() == 9093).findFirst().orElseThrow(() -> new AssertionError("no listener 9093"));
        assertTrue(listener.isTls(), "the apps' listener is TLS");
        assertTrue(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, "the apps authenticate with SCRAM");
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple, "ACLs are enforced");
        assertNotNull(kafka.getSpec().getEntityOperator().getTopicOperator(), "KafkaTopics need the Topic Operator");
        assertNotNull(kafka.getSpec().getEntityOperator().getUserOperator(), "KafkaUsers need the User Operator");
    }

    @Test
    void everyTopicInContractsHasAKafkaTopicWithItsPartitionsCleanupPolicyAndRetention() {
        Map<String, KafkaTopic> byTopic = BASE.all(KafkaTopic.class).stream()
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), Function.identity()));
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            KafkaTopic kt = byTopic.get(topic.name());
            if (kt == null) {
                problems.add(topic.name() + ": no KafkaTopic");
                continue;
            }
            Map<String, Object> config = kt.getSpec().getConfig();
            check(problems, topic, "partitions", topic.partitions(), kt.getSpec().getPartitions());
            check(problems, topic, "replicas", KafkaManifestsGenerator.REPLICAS, kt.getSpec().getReplicas());
            check(problems, topic, "cleanup.policy", topic.cleanupPolicy().configValue(), config.get("cleanup.policy"));
            check(problems, topic, "retention.ms", topic.retention().map(r -> Long.toString(r.toMillis())).orElse(null),
                    config.get("retention.ms") == null ? null : String.valueOf(config.get("retention.ms")));
            check(problems, topic, "min.insync.replicas", "2", String.valueOf(config.get("min.insync.replicas")));
            check(problems, topic, "strimzi.io/cluster", CLUSTER, kt.getMetadata().getLabels().get("strimzi.io/cluster"));
            if (!kt.getMetadata().getName().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                problems.add(topic.name() + ": resource name " + kt.getMetadata().getName() + " is not a DNS-1123 name");
            }
        }
        Set<String> declared = Topics.ALL.stream().map(Topic::name).collect(Collectors.toSet());
        byTopic.keySet().stream().filter(t -> !declared.contains(t)).forEach(t -> problems.add(t + ": KafkaTopic not in contracts"));
        assertEquals(List.of(), problems, "KafkaTopics vs contracts; run " + KafkaManifestsGenerator.COMMAND);
        assertEquals(Topics.ALL.size(), BASE.all(KafkaTopic.class).stream().map(t -> t.getMetadata().getName()).distinct().count(),
                "one KafkaTopic resource name per topic");
    }

    @Test
    void everyAppsKafkaUserCoversItsTopicsGroupsAndTransactionalIds() {
        List<String> problems = new ArrayList<>();
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            KafkaUser user = BASE.named(KafkaUser.class, app.name()).orElse(null);
            if (user == null) {
                problems.add(app.name() + ": no KafkaUser");
                continue;
            }
            if (!(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication)) {
                problems.add(app.name() + ": authentication is not scram-sha-512");
            }
            List<AclRule> acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
            for (String topic : app.topics()) {
                for (AclOperation op : List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBECONFIGS, AclOperation.READ)) {
                    require(problems, app, acls, "topic", topic, op);
                }
            }
            app.sentTopics().forEach(topic -> require(problems, app, acls, "topic", topic, AclOperation.WRITE));
            // a prefix group (projections) must admit any version: "*" stands for a projection and its version
            app.groups().stream().map(group -> group.replace("*", "customers-v2"))
                    .forEach(group -> require(problems, app, acls, "group", group, AclOperation.READ));
            // ${eventkit.instance-id} is the pod name: "-*" stands for it
            app.transactionalIds().stream().map(id -> id.replace("*", app.name() + "-0"))
                    .forEach(id -> require(problems, app, acls, "transactionalId", id, AclOperation.WRITE));
            acls.stream().filter(r -> r.getResource() instanceof AclRuleTopicResource t
                    && t.getPatternType() == AclResourcePatternType.LITERAL && Topics.byName(t.getName()).isEmpty())
                    .forEach(r -> problems.add(app.name() + ": ACL on a topic not in contracts: " + r.getResource()));
        }
        assertEquals(List.of(), problems, "KafkaUser ACLs vs the apps' configuration; run " + KafkaManifestsGenerator.COMMAND);
    }

    @Test
    void aclCheckNoticesAMissingGrant() {
        // the coverage check itself: a user without the group ACL must not pass
        AppSettings billing = AppSettings.of(BASE.repo, "billing-app");
        List<AclRule> acls = ((KafkaUserAuthorizationSimple) BASE.named(KafkaUser.class, "billing-app").orElseThrow()
                .getSpec().getAuthorization()).getAcls().stream()
                .filter(r -> !(r.getResource() instanceof AclRuleGroupResource)).toList();
        List<String> problems = new ArrayList<>();
        billing.groups().forEach(group -> require(problems, billing, acls, "group", group, AclOperation.READ));
        if (problems.isEmpty()) {
            fail("billing-app has consumer groups " + billing.groups() + " but no problem was reported");
        }
    }

    private static void require(List<String> problems, AppSettings app, List<AclRule> acls, String type, String name,
            AclOperation op) {
        boolean allowed = acls.stream().anyMatch(r -> matches(r, type, name)
                && (r.getOperations().contains(op) || r.getOperations().contains(AclOperation.ALL)));
        if (!allowed) {
            problems.add(app.name() + ": no " + op + " on " + type + " " + name);
        }
    }

    private static boolean matches(AclRule rule, String type, String name) {
        String resourceName;
        AclResourcePatternType pattern;
        if (rule.getResource() instanceof AclRuleTopicResource t && type.equals("topic")) {
            resourceName = t.getName();
            pattern = t.getPatternType();
        } else if (rule.getResource() instanceof AclRuleGroupResource g && type.equals("group")) {
            resourceName = g.getName();
            pattern = g.getPatternType();
        } else if (rule.getResource() instanceof AclRuleTransactionalIdResource x && type.equals("transactionalId")) {
            resourceName = x.getName();
            pattern = x.getPatternType();
        } else {
            return false;
        }
        return pattern == AclResourcePatternType.PREFIX ? name.startsWith(resourceName)
                : resourceName.equals("*") || resourceName.equals(name);
    }

    private static int replicas(List<KafkaNodePool> pools, ProcessRoles role) {
        return pools.stream().filter(p -> p.getSpec().getRoles().contains(role)).mapToInt(p -> p.getSpec().getReplicas()).sum();
    }

    private static void check(List<String> problems, Topic<?, ?> topic, String what, Object expected, Object actual) {
        if (!String.valueOf(expected).equals(String.valueOf(actual))) {
            problems.add(topic.name() + ": " + what + " is " + actual + ", contracts say " + expected);
        }
    }
}
