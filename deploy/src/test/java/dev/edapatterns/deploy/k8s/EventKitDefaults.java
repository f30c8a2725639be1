package dev.edapatterns.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration every app gets from event-kit ({@code META-INF/microprofile-config.properties}: the shop's
 * realm, the bearer JWT verification), keys as written (profile prefixes kept).
 */
final class EventKitDefaults {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?}");

    private EventKitDefaults() {
    }

    static Map<String, String> properties() {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(Repo.root()
                .resolve("event-kit/src/main/resources/META-INF/microprofile-config.properties"))) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new TreeMap<>();
        raw.stringPropertyNames().forEach(k -> properties.put(k, raw.getProperty(k)));
        return properties;
    }

    /** Environment variables the defaults read, e.g. {@code ${EDA_ADMIN_PASSWORD}}. */
    static Set<String> referencedNames() {
        Set<String> names = new TreeSet<>();
        properties().values().forEach(v -> EXPRESSION.matcher(v).results().forEach(r -> names.add(r.group(1))));
        return names;
    }
}
