package dev.edapatterns.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.edapatterns.contracts.OwnerApp;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;

/**
 * What the Kubernetes manifests need to know about one app, read from its {@code application.properties} (prod
 * values: profile-less keys, overridden by {@code %prod.}, then by {@code %k8s.}, the profile the pods with pages add
 * on top) and, for the atomic stores' default consumer groups, its
 * main sources. {@code ${eventkit.instance-id}} stays a {@code *}: it is the pod name in the cluster.
 *
 * @param httpPort     {@code quarkus.http.port}: the API (Service, Ingress)
 * @param managementPort {@code quarkus.management.port} (health, metrics: probes, Prometheus); the project's convention,
 *                     API port + 1000 (9081-9084), where the app does not set it
 * @param properties   every key without its profile prefix (for env-name checks), with its prod value or ""
 * @param topics       {@code eventkit.topics}: what the app reads (and, if it owns or sends to them, writes)
 * @param sentTopics   topics of outgoing channels plus owned topics in {@code eventkit.topics} (stores, ledger)
 * @param groups       consumer groups: channel {@code group.id}s, {@code *.group-id} keys, atomic stores' defaults,
 *                     {@value #PROJECTION_GROUPS} (a prefix) for an app with event-kit projections
 * @param transactionalIds {@code transactional.id}s of channels plus the atomic stores' defaults, {@code *} = pod name
 */
public record AppSettings(String name, int httpPort, int managementPort, Map<String, String> properties, Set<String> topics,
        Set<String> sentTopics, Set<String> groups, Set<String> transactionalIds) {

    /** The apps deployed to Kubernetes, in port order. */
    public static final List<String> APPS = Arrays.stream(OwnerApp.values()).map(OwnerApp::appName).toList();

    /** A group name ending in {@code *} is a prefix: the groups of event-kit projections. */
    public static final String PROJECTION_GROUPS = "projection-*";

    private static final Pattern ATOMIC_STORE = Pattern.compile("AtomicStore\\.builder\\(\\s*\"([^\"]+)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");

    public static List<AppSettings> all(Path repo) {
        return APPS.stream().map(app -> read(repo, app)).toList();
    }

    public static AppSettings of(Path repo, String app) {
        return read(repo, app);
    }

    static AppSettings read(Path repo, String app) {
        Path dir = repo.resolve(app);
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> prod = new TreeMap<>();
        raw.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> prod.put(k, raw.getProperty(k)));
        raw.stringPropertyNames().stream().filter(k -> k.startsWith("%prod.")).forEach(k -> prod.put(k.substring(6), raw.getProperty(k)));
        raw.stringPropertyNames().stream().filter(k -> k.startsWith("%k8s.")).forEach(k -> prod.put(k.substring(5), raw.getProperty(k)));
        Map<String, String> allKeys = new TreeMap<>();
        raw.stringPropertyNames().forEach(k -> allKeys.put(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k, ""));
        allKeys.putAll(prod);

        String name = prod.getOrDefault("quarkus.application.name", app);
        int port = Integer.parseInt(prod.getOrDefault("quarkus.http.port", "8080"));
        int managementPort = Integer.parseInt(prod.getOrDefault("quarkus.management.port", String.valueOf(port + 1000)));
        Set<String> topics = new TreeSet<>(list(prod.get("eventkit.topics")));

        Set<String> sent = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        Set<String> txIds = new TreeSet<>();
        prod.forEach((key, value) -> {
            String v = resolve(value, prod);
            if (key.startsWith("mp.messaging.outgoing.") && key.endsWith(".topic")) {
                sent.add(v);
            } else if ((key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) || key.endsWith(".group-id")) {
                groups.add(v);
            } else if (key.endsWith(".transactional.id")) {
                txIds.add(v);
            }
        });
        // incoming channels without group.id join the connector's default group: the application name
        prod.keySet().stream().filter(k -> k.startsWith("mp.messaging.incoming.") && k.endsWith(".connector"))
                .map(k -> k.substring(0, k.length() - ".connector".length()))
                .filter(channel -> !prod.containsKey(channel + ".group.id"))
                .forEach(channel -> groups.add(name));
        // SmallRye's delayed-retry-topic strategy reads the retry topics in its own group, named from the channel's
        // client.id (default kafka-consumer-<channel>)
        prod.entrySet().stream().filter(e -> e.getKey().startsWith("mp.messaging.incoming.")
                && e.getKey().endsWith(".failure-strategy") && e.getValue().equals("delayed-retry-topic"))
                .map(e -> e.getKey().substring(0, e.getKey().length() - ".failure-strategy".length()))
                .forEach(channel -> groups.add("kafka-delayed-retry-topic-" + prod.getOrDefault(channel + ".client.id",
                        "kafka-consumer-" + channel.substring("mp.messaging.incoming.".length()))));
        topics.stream().map(Topics::require).filter(t -> t.owner() != null && t.owner().appName().equals(name))
                .map(Topic::name).forEach(sent::add);
        String sources = sources(dir.resolve("src/main/java"));
        for (String store : atomicStores(sources)) {
            groups.add("atomic-" + store);
            txIds.add(name + "-" + store + "-*");
        }
        if (sources.contains("dev.edapatterns.eventkit.projection.")) {
            // event-kit projections: groups projection-<name>-v<version>, and a rebuild makes a new version: a prefix
            groups.add(PROJECTION_GROUPS);
        }
        return new AppSettings(name, port, managementPort, allKeys, topics, sent, groups, txIds);
    }

    /** Names passed to {@code AtomicStore.builder(...)}: their group ({@code atomic-<name>}) and transactional.id. */
    private static Set<String> atomicStores(String sources) {
        Set<String> names = new TreeSet<>();
        Matcher m = ATOMIC_STORE.matcher(sources);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every main source file of an app, one after the other. */
    private static String sources(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file)).append('\n');
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Environment variables the properties read directly, e.g. {@code ${REFERENCE_ADMIN_PASSWORD}}. */
    public Set<String> referencedNames() {
        return properties.values().stream().flatMap(v -> EXPRESSION.matcher(v).results().map(r -> r.group(1)))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String resolve(String value, Map<String, String> props) {
        return EXPRESSION.matcher(value).replaceAll(r -> {
            String key = r.group(1);
            if (key.equals("eventkit.instance-id")) {
                return "*";
            }
            return Matcher.quoteReplacement(props.getOrDefault(key, r.group()));
        });
    }

    private static List<String> list(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
