package dev.edapatterns.eventkit.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Readers of the observability endpoints for app tests: samples of a {@code /q/metrics} scrape, the checks of
 * {@code /q/health/ready} and the responses of {@code /q/openapi?format=json} (bodies fetched by the test, e.g. with
 * RestAssured).
 */
public final class Observability {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Observability() {
    }

    /** One Prometheus sample: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** The samples of a Prometheus text exposition (comments skipped). */
    public static List<Sample> samples(String scrape) {
        List<Sample> out = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            // OpenMetrics exemplar after the value (counters of traced requests, with OpenTelemetry present)
            int exemplar = line.indexOf(" # {");
            if (exemplar >= 0) {
                line = line.substring(0, exemplar);
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                for (String pair : line.substring(brace + 1, close).split("\",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).replaceAll("^\"|\"$", ""));
                    }
                }
            } else {
                name = line.substring(0, space).trim();
            }
            out.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
        }
        return out;
    }

    /**
     * The value of the one sample with this name whose labels include {@code labels} ({@code "key", "value", ...});
     * fails when there is none or more than one.
     */
    public static double value(String scrape, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> found = samples(scrape).stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + wanted + " in /q/metrics, found " + found);
        }
        return found.get(0).value();
    }

    /** The readiness checks every app has: the broker (admin client), the SmallRye channels, the event-kit stores. */
    public static final Set<String> APP_READINESS = Set.of("Kafka connection health check",
            "SmallRye Reactive Messaging - readiness check", "event-kit stores");

    /** Names of the checks in a {@code /q/health/ready} (or /live) answer. */
    public static Set<String> checks(String health) {
        Set<String> names = new TreeSet<>();
        try {
            JSON.readTree(health).path("checks").forEach(c -> names.add(c.path("name").asText()));
        } catch (Exception e) {
            throw new AssertionError("not a health answer: " + health, e);
        }
        return names;
    }

    /**
     * {@code "METHOD /path" -> response codes} of every operation of an OpenAPI document (JSON); fails when a 4xx or
     * 5xx response is not {@code application/problem+json} with the {@code Problem} schema.
     */
    public static Map<String, Set<String>> operations(String openApiJson) {
        Map<String, Set<String>> out = new TreeMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(openApiJson);
        } catch (Exception e) {
            throw new AssertionError("not an OpenAPI JSON document", e);
        }
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!op.getValue().has("responses")) {
                return;
            }
            String operation = op.getKey().toUpperCase() + " " + path.getKey();
            Set<String> codes = new TreeSet<>();
            op.getValue().path("responses").fields().forEachRemaining(r -> {
                codes.add(r.getKey());
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                    String ref = r.getValue().path("content").path("application/problem+json").path("schema").path("$ref")
                            .asText();
                    if (!ref.endsWith("/Problem") || !root.path("components").path("schemas").has("Problem")) {
                        throw new AssertionError(operation + " " + r.getKey() + " is not a problem+json Problem: " + r.getValue());
                    }
                }
            });
            out.put(operation, codes);
        }));
        return out;
    }
}
