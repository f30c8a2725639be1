package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.user.KafkaUser;

/** Each app's ConfigMap, Service, workload and autoscaler against the app's own configuration. */
@Tag("unit")
class AppManifestsTest {

    private static final BaseManifests BASE = new BaseManifests();
    /** SmallRye Health's endpoints under the default non-application root (/q). */
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started");
    /** Read by the image's run script (ubi openjdk), not by the app's configuration. */
    private static final Set<String> IMAGE_ENV = Set.of("JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO");
    /** The runtime profiles (prod, and k8s for the apps with pages: AccessManifestsTest). */
    private static final Set<String> PROFILE_ENV = Set.of("QUARKUS_PROFILE");
    /** Quarkus' default datasource (quarkus.datasource.jdbc.url, .username, .password): set per environment, by design
     *  never in application.properties' prod profile. */
    static final Set<String> DATASOURCE_ENV = Set.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
            "QUARKUS_DATASOURCE_PASSWORD");
    private static final Set<String> KAFKA_CLIENT_KEYS = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
            AdminClientConfig.configNames()).flatMap(Set::stream).collect(Collectors.toSet());
    /** The apps that must scale with load (issue 8): importers and the WebSocket fan-out. */
    private static final Set<String> AUTOSCALED = Set.of("import-app", "notify-app");

    @Test
    void probesPointAtSmallRyeHealthOnTheManagementPortAndTheServiceExposesOnlyTheApi() throws IOException {
        assertTrue(Files.readString(BASE.repo.resolve("event-kit/pom.xml")).contains("<artifactId>quarkus-smallrye-health</artifactId>"),
                "the probes need quarkus-smallrye-health (event-kit brings it)");
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            assertTrue(Files.readString(BASE.repo.resolve(app.name() + "/pom.xml")).contains("<artifactId>event-kit</artifactId>"),
                    app.name() + " depends on event-kit (health)");
            assertTrue(app.properties().keySet().stream().noneMatch(k -> k.startsWith("quarkus.smallrye-health.root-path")
                    || k.startsWith("quarkus.http.non-application-root-path")), app.name() + " moved the health paths");
            Container c = container(app);
            assertEquals(app.httpPort(), containerPort(c, "http"), app.name() + ": container port http = quarkus.http.port");
            assertEquals(app.managementPort(), containerPort(c, "management"),
                    app.name() + ": container port management = quarkus.management.port");
            check(app, "liveness", c.getLivenessProbe(), "/q/health/live");
            check(app, "readiness", c.getReadinessProbe(), "/q/health/ready");
            Optional.ofNullable(c.getStartupProbe()).ifPresent(p -> check(app, "startup", p, "/q/health/started"));
            Service service = BASE.named(Service.class, app.name()).orElseThrow(() -> new AssertionError("no Service " + app.name()));
            assertEquals(app.httpPort(), service.getSpec().getPorts().get(0).getPort(), app.name() + ": Service port");
            assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
            assertEquals(app.name(), service.getSpec().getSelector().get("app.kubernetes.io/name"));
        }
        // health, metrics and OpenAPI stay inside the cluster: no Service (headless ones included) names another port
        for (Service service : BASE.all(Service.class)) {
            String app = service.getSpec().getSelector().get("app.kubernetes.io/name");
            if (AppSettings.APPS.contains(app)) {
                AppSettings settings = AppSettings.of(BASE.repo, app);
                assertEquals(List.of(settings.httpPort()), service.getSpec().getPorts().stream().map(p -> p.getPort()).toList(),
                        service.getMetadata().getName() + " exposes only the API port");
            }
        }
    }

    @Test
    void prometheusScrapesMetricsOnTheManagementPort() throws IOException {
        assertTrue(Files.readString(BASE.repo.resolve("event-kit/pom.xml"))
                .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>"), "/q/metrics comes from event-kit");
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            var annotations = BASE.named(StatefulSet.class, app.name()).map(s -> s.getSpec().getTemplate().getMetadata())
                    .or(() -> BASE.named(Deployment.class, app.name()).map(d -> d.getSpec().getTemplate().getMetadata()))
                    .orElseThrow().getAnnotations();
            assertEquals(Map.of("prometheus.io/scrape", "true", "prometheus.io/path", "/q/metrics",
                    "prometheus.io/port", String.valueOf(app.managementPort())), annotations, app.name());
        }
    }

    @Test
    void everyEnvironmentVariableMapsToAConfigKeyOfTheApp() throws IOException {
        Set<String> eventKitKeys = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)")
                .matcher(Files.readString(BASE.repo.resolve("event-kit/src/main/java/dev/edapatterns/eventkit/EventKitConfig.java")))
                .results().map(r -> "eventkit." + r.group(1)).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            Container c = container(app);
            Set<String> names = new TreeSet<>();
            c.getEnv().stream().map(EnvVar::getName).forEach(names::add);
            c.getEnvFrom().forEach(from -> {
                ConfigMap cm = BASE.named(ConfigMap.class, from.getConfigMapRef().getName())
                        .orElseThrow(() -> new AssertionError(app.name() + ": no ConfigMap " + from.getConfigMapRef().getName()));
                names.addAll(cm.getData().keySet());
            });
            Set<String> keys = new TreeSet<>(app.properties().keySet());
            keys.addAll(eventKitKeys);
            for (String env : names) {
                if (IMAGE_ENV.contains(env) || PROFILE_ENV.contains(env) || DATASOURCE_ENV.contains(env) || app.referencedNames().contains(env) || EventKitDefaults.referencedNames().contains(env)
                        || AccessManifestsTest.KEY_READERS.getOrDefault(env, Set.of()).contains(app.name())) {
                    continue;
                }
                if (env.startsWith("KAFKA_")) {
                    // Quarkus' default-kafka-broker config: KAFKA_SASL_JAAS_CONFIG -> kafka.sasl.jaas.config -> sasl.jaas.config
                    String client = env.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    if (!KAFKA_CLIENT_KEYS.contains(client)) {
                        problems.add(app.name() + ": " + env + " -> kafka." + client + " is no Kafka client config");
                    }
                } else if (keys.stream().noneMatch(k -> toEnv(k).equals(env))) {
                    problems.add(app.name() + ": " + env + " maps to no key of application.properties or eventkit.*");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void kafkaClientsUseTheirUsersSecretTheClusterCaAndTheTlsListener() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            Container c = container(app);
            EnvVar jaas = env(c, "KAFKA_SASL_JAAS_CONFIG");
            String secret = jaas.getValueFrom().getSecretKeyRef().getName();
            assertTrue(BASE.named(KafkaUser.class, secret).isPresent(), app.name() + ": secret " + secret + " of no KafkaUser");
            assertEquals("sasl.jaas.config", jaas.getValueFrom().getSecretKeyRef().getKey());
            ConfigMap cm = BASE.named(ConfigMap.class, app.name() + "-config").orElseThrow();
            assertEquals(KafkaManifestsGenerator.CLUSTER + "-kafka-bootstrap:9093", cm.getData().get("KAFKA_BOOTSTRAP_SERVERS"));
            assertEquals("SASL_SSL", cm.getData().get("KAFKA_SECURITY_PROTOCOL"));
            assertEquals("SCRAM-SHA-512", cm.getData().get("KAFKA_SASL_MECHANISM"));
            assertEquals("verify", cm.getData().get("EVENTKIT_TOPICS_MODE"), "the Topic Operator creates topics, apps verify");
            String truststore = cm.getData().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            PodSpec pod = podSpec(app);
            String mount = c.getVolumeMounts().stream().filter(m -> truststore.startsWith(m.getMountPath() + "/"))
                    .findFirst().orElseThrow(() -> new AssertionError(app.name() + ": truststore not mounted")).getName();
            assertEquals(KafkaManifestsGenerator.CLUSTER + "-cluster-ca-cert", pod.getVolumes().stream()
                    .filter(v -> v.getName().equals(mount)).findFirst().orElseThrow().getSecret().getSecretName());
        }
    }

    @Test
    void transactionalAppsAreStatefulSetsWhosePodNameIsTheInstanceId() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            boolean transactional = !app.transactionalIds().isEmpty();
            Optional<StatefulSet> sts = BASE.named(StatefulSet.class, app.name());
            assertEquals(transactional, sts.isPresent(), app.name() + ": transactional apps (and only they) are StatefulSets");
            sts.ifPresent(s -> assertTrue(BASE.named(Service.class, s.getSpec().getServiceName()).map(svc -> "None"
                    .equals(svc.getSpec().getClusterIP())).orElse(false), app.name() + ": headless service " + s.getSpec().getServiceName()));
            EnvVar id = env(container(app), "EVENTKIT_INSTANCE_ID");
            assertEquals("metadata.name", id.getValueFrom().getFieldRef().getFieldPath(), app.name() + ": instance id = pod name");
        }
    }

    @Test
    void everyWorkloadHasADisruptionBudgetSelectingItsPods() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            PodDisruptionBudget pdb = BASE.named(PodDisruptionBudget.class, app.name())
                    .orElseThrow(() -> new AssertionError(app.name() + ": no PodDisruptionBudget"));
            var podLabels = BASE.named(StatefulSet.class, app.name()).map(s -> s.getSpec().getTemplate().getMetadata().getLabels())
                    .orElseGet(() -> BASE.named(Deployment.class, app.name()).orElseThrow().getSpec().getTemplate().getMetadata().getLabels());
            assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()),
                    app.name() + ": PDB selector " + pdb.getSpec().getSelector().getMatchLabels() + " vs pod labels " + podLabels);
            assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal(), app.name() + ": one pod at a time");
        }
    }

    @Test
    void everyContainerHasRequestsAndLimits() {
        for (AppSettings app : AppSettings.all(BASE.repo)) {
            var r = container(app).getResources();
            for (String res : List.of("cpu", "memory")) {
                Quantity request = r.getRequests().get(res);
                Quantity limit = r.getLimits().get(res);
                assertTrue(request != null && limit != null, app.name() + ": " + res + " request and limit");
                assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0, app.name() + ": " + res + " request <= limit");
            }
        }
    }

    @Test
    void importAndNotifyScaleWithinThePartitionsTheyConsume() {
        List<HorizontalPodAutoscaler> hpas = BASE.all(HorizontalPodAutoscaler.class);
        assertEquals(AUTOSCALED, hpas.stream().map(h -> h.getSpec().getScaleTargetRef().getName()).collect(Collectors.toSet()));
        for (HorizontalPodAutoscaler hpa : hpas) {
            var ref = hpa.getSpec().getScaleTargetRef();
            Class<? extends HasMetadata> kind = ref.getKind().equals("StatefulSet") ? StatefulSet.class : Deployment.class;
            assertTrue(BASE.named(kind, ref.getName()).isPresent(), "HPA target " + ref.getKind() + " " + ref.getName());
            AppSettings app = AppSettings.of(BASE.repo, ref.getName());
            // consumers in a group: more pods than partitions would idle
            app.properties().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("mp.messaging.incoming.") && e.getKey().endsWith(".topic"))
                    .map(e -> Topics.require(e.getValue()))
                    .forEach(t -> assertTrue(hpa.getSpec().getMaxReplicas() <= t.partitions(),
                            ref.getName() + ": maxReplicas " + hpa.getSpec().getMaxReplicas() + " > partitions of " + t.name()));
            assertTrue(hpa.getSpec().getMinReplicas() >= 2, ref.getName() + ": at least two pods");
        }
    }

    static String toEnv(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static void check(AppSettings app, String kind, Probe probe, String expected) {
        assertTrue(probe != null, app.name() + ": no " + kind + " probe");
        HTTPGetAction get = probe.getHttpGet();
        assertTrue(HEALTH_PATHS.contains(get.getPath()), app.name() + ": " + kind + " path " + get.getPath() + " is no SmallRye Health endpoint");
        assertEquals(expected, get.getPath(), app.name() + ": " + kind + " probe");
        assertEquals("management", get.getPort().getStrVal(), app.name() + ": " + kind + " probe port");
    }

    private static int containerPort(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no container port " + name)).getContainerPort();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": no env " + name));
    }

    static PodSpec podSpec(AppSettings app) {
        return BASE.named(StatefulSet.class, app.name()).map(s -> s.getSpec().getTemplate().getSpec())
                .or(() -> BASE.named(Deployment.class, app.name()).map(d -> d.getSpec().getTemplate().getSpec()))
                .orElseThrow(() -> new AssertionError("no StatefulSet or Deployment " + app.name()));
    }

    static Container container(AppSettings app) {
        return podSpec(app).getContainers().stream().filter(c -> c.getName().equals(app.name())).findFirst()
                .orElseThrow(() -> new AssertionError(app.name() + ": no container " + app.name()));
    }
}
