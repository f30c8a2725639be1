package dev.edapatterns.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Every manifest under {@code deploy/k8s}, parsed into its typed model (fabric8 for Kubernetes kinds, Strimzi's api
 * for its CRDs, {@link CnpgCluster} for CloudNativePG's). A kind without a model here, or a field the model does not
 * know (kept by the models as an "additional property", e.g. a typo like {@code replica:}), is an error.
 */
public final class Manifests {

    public static final ObjectMapper YAML = YAMLMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).build();
    public static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry(CnpgCluster.API_VERSION + "/" + CnpgCluster.KIND, CnpgCluster.class));

    /** One parsed document: its file, raw tree (for JSON-patch path checks) and typed model. */
    public record Doc(Path file, JsonNode tree, HasMetadata model) {
        public String kind() {
            return model.getKind();
        }

        public String name() {
            return model.getMetadata().getName();
        }
    }

    private Manifests() {
    }

    /** Every YAML file under {@code dir} except kustomizations. */
    public static List<Path> manifestFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().startsWith("kustomization")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Path> kustomizationFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Doc> parse(Path file) {
        List<Doc> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext();) {
                JsonNode tree = it.next();
                if (tree == null || tree.isNull() || tree.isEmpty()) {
                    continue;
                }
                String type = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
                Class<? extends HasMetadata> model = KINDS.get(type);
                if (model == null) {
                    throw new AssertionError(file + ": no typed model for " + type + " (known: " + KINDS.keySet() + ")");
                }
                HasMetadata parsed = YAML.treeToValue(tree, model);
                List<String> unknown = unknownProperties(parsed);
                if (!unknown.isEmpty()) {
                    throw new AssertionError(file + ": " + type + " " + parsed.getMetadata().getName()
                            + " has fields its model does not know: " + unknown);
                }
                docs.add(new Doc(file, tree, parsed));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    public static Kustomization kustomization(Path file) {
        try {
            Kustomization k = YAML.readValue(file.toFile(), Kustomization.class);
            List<String> unknown = unknownProperties(k);
            if (!unknown.isEmpty()) {
                throw new AssertionError(file + ": fields the Kustomization model does not know: " + unknown);
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Paths of non-empty {@code additionalProperties} maps anywhere in a fabric8/Strimzi model object. */
    public static List<String> unknownProperties(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object o, String path, List<String> found, Set<Object> seen) {
        if (o == null || !seen.add(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") && !o.getClass().equals(CnpgCluster.class)
                && !o.getClass().getName().startsWith(CnpgCluster.class.getName() + "$")) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getType().isEnum()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Object v = f.get(o);
                    if (f.getName().equals("additionalProperties") && v instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> found.add(path + "." + k));
                    } else {
                        walk(v, path + "." + f.getName(), found, seen);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field the module system hides is not part of the YAML model
                }
            }
        }
    }
}
