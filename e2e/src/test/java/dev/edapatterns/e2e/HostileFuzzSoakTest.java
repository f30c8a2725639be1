package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * Seeded mutation fuzzing of the packaged apps' request bodies and headers
 * ({@code ./mvnw -B verify -Psoak -pl e2e -am -Dtest=HostileFuzzSoakTest -Dsurefire.failIfNoSpecifiedTests=false};
 * {@code -Dfuzz.seed=} replays a run, {@code -Dfuzz.count=} sets the requests per endpoint). Each valid example request
 * is mutated one to three times (hostile numbers, strings, types, shapes, bytes, CSV layouts) and sent as the user
 * allowed to make it. No answer may be a 5xx or take longer than {@link #ANSWER_WITHIN}; every refusal is a
 * problem+json; every app is still ready at the end.
 */
@Isolated("three apps at once under a stream of hostile requests")
@Tag("soak")
class HostileFuzzSoakTest {

    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    static final Duration TIME_PER_ENDPOINT = Duration.ofMinutes(2);
    static final long SEED = Long.getLong("fuzz.seed", 20261207L);
    static final int COUNT = Integer.getInteger("fuzz.count", 300);

    /** One endpoint: how to send a (mutated) body to it. */
    record Target(String name, String user, String method, String path, String contentType, String seed) {
    }

    @Test
    void mutatedRequestsNeverFailOrHangAnApp() {
        Map<String, String> config = Map.of(RunningApp.BOOTSTRAP, TestKafka.bootstrapServers(), RunningApp.INSTANCE_ID, "e2e-fuzz");
        try (RunningApp order = RunningApp.start("order-app", "order-app-fuzz", KafkaBroker.freePort(), config);
             RunningApp billing = RunningApp.start("billing-app", "billing-app-fuzz", KafkaBroker.freePort(), config);
             RunningApp imports = RunningApp.start("import-app", "import-app-fuzz", KafkaBroker.freePort(), config)) {
            List<RunningApp> apps = List.of(order, billing, imports);
            apps.forEach(app -> await().atMost(Duration.ofSeconds(120)).until(app::ready));
            // the example payment ships to FR: with France known, a mutation that keeps the body valid is accepted
            Http.Response france = Http.as(Http.ADMIN).put(order.url() + "/countries/FR",
                    "{\"name\": \"France\", \"currency\": \"EUR\", \"timeZones\": [\"Europe/Paris\"]}");
            assertTrue(france.status() / 100 == 2, "PUT /countries/FR: " + france);
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(order.url() + "/countries/FR").status() == 200);
            Map<RunningApp, List<Target>> targets = Map.of(
                    order, List.of(
                            new Target("payment", Http.CUSTOMER, "POST", "/orders/fuzz-{n}/payments", "application/json", """
                                    {"customerId": "alice@example.com", "items": [{"sku": "sku-1", "qty": 2, "unitPrice": 9.99}],
                                     "currency": "EUR", "shippingCountry": "FR"}"""),
                            new Target("country", Http.ADMIN, "PUT", "/countries/AQ", "application/json",
                                    "{\"name\": \"Antarctica\", \"currency\": \"USD\", \"timeZones\": [\"Antarctica/Troll\"]}"),
                            new Target("stock", Http.ADMIN, "PUT", "/inventory/fuzz-sku", "application/json", "{\"stock\": 100}")),
                    billing, List.of(new Target("subscription", Http.CUSTOMER, "POST", "/subscriptions", "application/json", """
                            {"userId":"alice@example.com","plan":"pro","price":9.90,"currency":"EUR","country":"FR",
                             "cardToken":"tok_visa_4242","paidUntil":"%s"}""".formatted(java.time.LocalDate.now().plusMonths(1)))),
                    imports, List.of(new Target("import", Http.IMPORTER, "POST", "/imports", "text/csv",
                            "email,name,country,phone\nann@example.com,Ann,FR,+33 1 23 45 67 89\nbob@example.com,Bob,DE,\n")));
            Random random = new Random(SEED);
            Map<String, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            targets.forEach((app, list) -> list.forEach(target -> {
                long deadline = System.nanoTime() + TIME_PER_ENDPOINT.toNanos();
                for (int n = 0; n < COUNT && System.nanoTime() < deadline; n++) {
                    Mutated request = target.contentType().equals("text/csv") ? Mutated.csv(target.seed(), random)
                            : Mutated.json(target.seed(), random);
                    String key = random.nextInt(10) == 0 ? Mutated.hostileKey(random) : "fuzz-" + SEED + "-" + n;
                    long t0 = System.nanoTime();
                    Http.Response answer = send(app, target, n, request.body(), key);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    statuses.merge(target.name() + " " + answer.status(), 1, Integer::sum);
                    if (answer.status() >= 500 || millis > ANSWER_WITHIN.toMillis()
                            || (answer.status() >= 400 && !answer.contentType().startsWith("application/problem+json"))) {
                        failures.add(target.name() + " #" + n + " (" + request.how() + "): " + answer.status() + " in "
                                + millis + " ms: " + clip(answer.body()));
                    }
                }
            }));
            ImporterCluster.log("fuzz seed %d, answers: %s", SEED, statuses);
            assertEquals(List.of(), failures, "seed " + SEED);
            apps.forEach(app -> assertTrue(app.ready(), app.name + " still ready"));
        }
    }

    private static Http.Response send(RunningApp app, Target target, int n, String body, String key) {
        String url = app.url() + target.path().replace("{n}", String.valueOf(n));
        Http.User user = Http.as(target.user());
        try {
            return target.method().equals("PUT") ? user.put(url, body) : user.post(url, target.contentType(), body,
                    "Idempotency-Key", key);
        } catch (IllegalArgumentException e) { // a header value the JDK client itself refuses to send
            return user.post(url, target.contentType(), body);
        }
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** A mutated body and what was done to it (for the failure message). */
    record Mutated(String body, String how) {

        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        private static final List<Function<Random, JsonNode>> VALUES = List.of(
                r -> NODES.numberNode(new java.math.BigDecimal("1e100000000")),
                r -> NODES.numberNode(new java.math.BigDecimal("1e1000")),
                r -> NODES.numberNode(new java.math.BigDecimal("-1")),
                r -> NODES.numberNode(0),
                r -> NODES.numberNode(Long.MAX_VALUE),
                r -> NODES.numberNode(new java.math.BigInteger("-9223372036854775809")),
                r -> NODES.numberNode(new java.math.BigDecimal("0.0000000000000000000000001")),
                r -> NODES.numberNode(5.9),
                r -> NODES.textNode("NaN"),
                r -> NODES.textNode("Infinity"),
                r -> NODES.textNode(""),
                r -> NODES.textNode("   "),
                r -> NODES.textNode("x".repeat(1 + r.nextInt(200_000))),
                r -> NODES.textNode("a\u0000b"),
                r -> NODES.textNode("\u202Egnp.exe"),
                r -> NODES.textNode("\uD83D\uDE00".repeat(100)),
                r -> NODES.textNode("1900-01-01"),
                r -> NODES.textNode("9999-12-31"),
                r -> NODES.textNode("2031-02-30"),
                r -> NODES.textNode("../../etc/passwd"),
                r -> NODES.booleanNode(true),
                r -> NODES.nullNode(),
                r -> NODES.arrayNode(),
                r -> NODES.objectNode(),
                r -> { ArrayNode many = NODES.arrayNode(); for (int i = 0; i < 10_000; i++) { many.add("zz"); } return many; },
                r -> { JsonNode deep = NODES.arrayNode(); for (int i = 0; i < 200; i++) { deep = NODES.arrayNode().add(deep); } return deep; });

        static Mutated json(String seed, Random random) {
            JsonNode root;
            try {
                root = Json.mapper().readTree(seed);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            List<String> how = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                mutateSomewhere(root, random, how);
            }
            String body = root.toString();
            switch (random.nextInt(8)) {
                case 0 -> { body += random.nextBoolean() ? " garbage" : "{}"; how.add("trailing tokens"); }
                case 1 -> { body = body.substring(0, random.nextInt(body.length())); how.add("truncated"); }
                case 2 -> { body = body.replaceFirst("\\{\"(\\w+)\":", "{\"$1\":1,\"$1\":"); how.add("duplicate key"); }
                case 3 -> { int at = random.nextInt(body.length()); body = body.substring(0, at) + (char) random.nextInt(0x80)
                        + body.substring(at); how.add("a random character"); }
                default -> { }
            }
            return new Mutated(body, String.join(", ", how));
        }

        private static void mutateSomewhere(JsonNode node, Random random, List<String> how) {
            if (node instanceof ObjectNode object && object.size() > 0) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                JsonNode child = object.get(name);
                if (child.isContainerNode() && child.size() > 0 && random.nextBoolean()) {
                    mutateSomewhere(child, random, how);
                } else if (random.nextInt(6) == 0) {
                    object.remove(name);
                    how.add("without " + name);
                } else {
                    int which = random.nextInt(VALUES.size());
                    object.set(name, VALUES.get(which).apply(random));
                    how.add(name + " = value #" + which);
                }
            } else if (node instanceof ArrayNode array && array.size() > 0) {
                int index = random.nextInt(array.size());
                if (array.get(index).isContainerNode() && random.nextBoolean()) {
                    mutateSomewhere(array.get(index), random, how);
                } else {
                    int which = random.nextInt(VALUES.size());
                    array.set(index, VALUES.get(which).apply(random));
                    how.add("[" + index + "] = value #" + which);
                }
            }
        }

        static Mutated csv(String seed, Random random) {
            String[] lines = seed.split("\n");
            StringBuilder out = new StringBuilder();
            List<String> how = new ArrayList<>();
            switch (random.nextInt(12)) {
                case 0 -> { out.append('\uFEFF').append(seed); how.add("BOM"); }
                case 1 -> { out.append(lines[0]).append('\n').append("\"").append("q".repeat(1 + random.nextInt(2_000_000)))
                        .append("\"\n"); how.add("one huge quoted field"); }
                case 2 -> { out.append(",".repeat(1 + random.nextInt(100_000))).append('\n'); how.add("a huge comma header"); }
                case 3 -> { out.append(String.join(",", java.util.Collections.nCopies(2000, "c"))).append('\n');
                        how.add("2000 columns without email"); }
                case 4 -> { out.append(lines[0]).append('\n').append("nul\u0000@example.com,N\n")
                        .append("bidi\u202E@example.com,B\n"); how.add("control characters"); }
                case 5 -> { out.append(lines[0]).append('\n').append("\"unterminated,x\n"); how.add("unbalanced quote"); }
                case 6 -> { out.append(seed.replace("\n", "\r")); how.add("CR line ends"); }
                case 7 -> { out.append("email,email,name\n").append("a@example.com,b@example.com,A\n"); how.add("duplicate header"); }
                case 8 -> { out.append(lines[0]).append('\n'); for (int i = 0; i < 20_000; i++) {
                        out.append("r").append(i).append("@example.com,R\n"); } how.add("20,000 rows"); }
                case 9 -> { out.append(""); how.add("empty"); }
                case 10 -> { out.append(lines[0]).append("\n\n\n,,,\n").append(lines[1]).append('\n'); how.add("blank lines"); }
                default -> { out.append(seed.substring(0, random.nextInt(seed.length()))); how.add("truncated"); }
            }
            return new Mutated(out.toString(), String.join(", ", how));
        }

        static String hostileKey(Random random) {
            return switch (random.nextInt(4)) {
                case 0 -> "k".repeat(256 + random.nextInt(3_000)); // under the HTTP layer's 8 KB header limit
                case 1 -> "caf\u00e9";
                case 2 -> " ";
                default -> "tab\tkey";
            };
        }
    }
}
