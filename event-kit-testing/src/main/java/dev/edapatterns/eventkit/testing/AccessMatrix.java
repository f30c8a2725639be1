package dev.edapatterns.eventkit.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The access-matrix test of an app, generated from two sources that must agree: the app's OpenAPI document (every
 * operation, with the examples its annotations carry) and the app's rows of the Security table in
 * {@code docs/SECURITY.md} ({@code | `METHOD /path` | `rule` | notes |}). Each operation is sent with its examples
 * as the owner or role holder, which must get a 2xx (retried while the example resource is still being made: puts,
 * posts and reads first, deletes last), and — once those exist — as anonymous (401, also with a malformed body:
 * authentication comes before parsing), as a user without the role (403) and as another owner (403); none of these
 * refusals may commit a record to any topic. An operation missing from the table, or a table row that is neither in OpenAPI nor checked
 * by name ({@link #route}: WebSocket, pages, the login form), fails the test.
 *
 * <p>Rules: {@code anonymous}; {@code role r1, r2} (any of them); {@code owner r / admin-role} (a holder of {@code r}
 * acting for itself — the examples' owner is the first user holding {@code r}, the "other" user the second — or a
 * holder of {@code admin-role} for anyone). The users are event-kit's dev/test realm.
 */
public final class AccessMatrix {

    /** The dev/test users holding each role: the first is the examples' owner, the second "another user". */
    private static final Map<String, List<String>> HOLDERS = Map.of(
            "customer", List.of("alice@example.com", "bob@example.com"),
            "importer", List.of("importer", "importer2"),
            "crm", List.of("crm"),
            "reference-admin", List.of("admin"),
            "orders-admin", List.of("admin"),
            "billing-admin", List.of("admin"),
            "import-admin", List.of("admin"));
    /** Holds none of the roles above. */
    private static final String WRONG_ROLE = "clerk";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reference data first (a payment needs its country), then what creates, reads and finally deletes. */
    private static final List<String> WRITE_FIRST = List.of("PUT", "POST", "PATCH", "GET", "DELETE");

    /** A row's rule. */
    public record Rule(String kind, List<String> roles, String adminRole) {

        static Rule parse(String text) {
            String t = text.trim();
            if (t.equals("anonymous")) {
                return new Rule("anonymous", List.of(), null);
            }
            if (t.startsWith("role ")) {
                return new Rule("role", List.of(t.substring(5).trim().split("\\s*,\\s*")), null);
            }
            if (t.startsWith("owner ")) {
                String[] parts = t.substring(6).split("/");
                return new Rule("owner", List.of(parts[0].trim()), parts[1].trim());
            }
            throw new IllegalArgumentException("Unknown rule in the Security table: " + text);
        }

        String rightUser() {
            return HOLDERS.get(roles.get(0)).get(0);
        }

        Optional<String> otherUser() {
            List<String> holders = HOLDERS.get(roles.get(0));
            return kind.equals("owner") && holders.size() > 1 ? Optional.of(holders.get(1)) : Optional.empty();
        }
    }

    /** An OpenAPI operation with what its examples make of a request. */
    record Operation(String method, String path, JsonNode spec, JsonNode pathItem) {

        String name() {
            return method + " " + path;
        }
    }

    private final String app;
    private final Map<String, Rule> table;
    private final Map<String, Runnable> named = new LinkedHashMap<>();
    private final Map<String, Integer> rightUserStatus = new LinkedHashMap<>();

    private AccessMatrix(String app, Map<String, Rule> table) {
        this.app = app;
        this.table = table;
    }

    /** The app's rows of the Security table ({@code ### <app>} in docs/SECURITY.md). */
    public static AccessMatrix of(String app) {
        return new AccessMatrix(app, table(securityDoc(), app));
    }

    /** A table row outside OpenAPI (a WebSocket, a page, the login form), checked by {@code check}. */
    public AccessMatrix route(String operation, Runnable check) {
        named.put(operation, check);
        return this;
    }

    /** The right user's answer to this operation's bare examples is {@code status}, not a 2xx ({@code why}). */
    public AccessMatrix expect(String operation, int status, String why) {
        rightUserStatus.put(operation, status);
        return this;
    }

    public void verify() {
        List<Operation> operations = operations(Management.given().get("/q/openapi?format=json").asString());
        TreeSet<String> missing = new TreeSet<>();
        operations.forEach(op -> {
            if (!table.containsKey(op.name())) {
                missing.add(op.name());
            }
        });
        assertTrue(missing.isEmpty(), "operations of " + app + " missing from the Security table: " + missing);
        TreeSet<String> unchecked = new TreeSet<>(table.keySet());
        operations.forEach(op -> unchecked.remove(op.name()));
        unchecked.removeAll(named.keySet());
        assertTrue(unchecked.isEmpty(), "Security table rows of " + app + " neither in OpenAPI nor checked by name: "
                + unchecked);
        assertEquals(List.of(), withoutExamples(operations), "parameters and bodies of " + app + " without an example");

        operations.sort(Comparator.comparingInt(op -> WRITE_FIRST.indexOf(op.method())));
        // the right users first, so the refusals meet existing resources (another owner's order: 403, not 404) ...
        operations.stream().filter(op -> !op.method().equals("DELETE")).forEach(op -> allowed(op, table.get(op.name())));
        CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(60));
        for (Operation op : operations) {
            refusals(op, table.get(op.name()));
        }
        assertEquals(Map.of(), before.newRecordsWhenSettled(), "refused requests committed records");
        // ... and the deletes last, once every refusal has met what they delete
        operations.stream().filter(op -> op.method().equals("DELETE")).forEach(op -> allowed(op, table.get(op.name())));
        named.forEach((operation, check) -> check.run());
    }

    private void refusals(Operation op, Rule rule) {
        if (rule.kind().equals("anonymous")) {
            return;
        }
        expectStatus(op, null, true, 401, "anonymous");
        if (body(op).isPresent()) {
            Response malformed = request(op, null, true).body("{\"").request(op.method());
            assertEquals(401, malformed.statusCode(), op.name() + " anonymous with a malformed body: "
                    + malformed.asString());
        }
        expectStatus(op, WRONG_ROLE, true, 403, "a user without the role");
        rule.otherUser().ifPresent(other -> expectStatus(op, other, true, 403, "another user (" + other + ")"));
    }

    private void allowed(Operation op, Rule rule) {
        String user = rule.kind().equals("anonymous") ? null : rule.rightUser();
        Integer expected = rightUserStatus.get(op.name());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Response r = request(op, user, false).request(op.method());
            String what = op.name() + " as " + (user == null ? "anonymous" : user) + ": " + r.statusCode() + " "
                    + r.asString();
            if (expected != null) {
                assertEquals(expected.intValue(), r.statusCode(), what);
            } else {
                assertTrue(r.statusCode() >= 200 && r.statusCode() < 300, what);
            }
        });
    }

    private void expectStatus(Operation op, String user, boolean withBody, int status, String who) {
        Response r = request(op, user, withBody).request(op.method());
        assertEquals(status, r.statusCode(), op.name() + " as " + who + ": " + r.asString());
        assertTrue(String.valueOf(r.contentType()).startsWith("application/problem+json"),
                op.name() + " as " + who + " answered " + r.contentType());
    }

    private RequestSpecification request(Operation op, String user, boolean withBody) {
        RequestSpecification request = RestAssured.given().redirects().follow(false);
        if (user != null) {
            request.auth().preemptive().basic(user, password(user));
        }
        String path = op.path();
        for (JsonNode parameter : parameters(op)) {
            String name = parameter.path("name").asText();
            Optional<String> example = example(parameter);
            switch (parameter.path("in").asText()) {
                case "path" -> path = path.replace("{" + name + "}",
                        example.orElseThrow(() -> new AssertionError(op.name() + ": no example for " + name)));
                case "query" -> example.ifPresent(v -> request.queryParam(name, v));
                case "header" -> example.ifPresent(v -> request.header(name, v));
                default -> {
                }
            }
        }
        if (withBody || !op.method().equals("GET")) {
            body(op).ifPresent(b -> request.contentType(b.getKey()).body(b.getValue()));
        }
        return request.basePath(path);
    }

    /** Every parameter and every request body media type carries an example (the matrix sends them). */
    private static List<String> withoutExamples(List<Operation> operations) {
        List<String> missing = new ArrayList<>();
        for (Operation op : operations) {
            parameters(op).stream().filter(p -> example(p).isEmpty())
                    .forEach(p -> missing.add(op.name() + " " + p.path("name").asText()));
            op.spec().path("requestBody").path("content").fields().forEachRemaining(media -> {
                if (!media.getValue().has("example") && !media.getValue().has("examples")) {
                    missing.add(op.name() + " body " + media.getKey());
                }
            });
        }
        return missing;
    }

    private static List<JsonNode> parameters(Operation op) {
        List<JsonNode> all = new ArrayList<>();
        op.pathItem().path("parameters").forEach(all::add);
        op.spec().path("parameters").forEach(all::add);
        return all;
    }

    private static Optional<String> example(JsonNode parameter) {
        JsonNode example = parameter.has("example") ? parameter.get("example") : parameter.path("schema").get("example");
        if (example == null && parameter.has("examples")) {
            example = parameter.get("examples").elements().next().path("value");
        }
        return example == null || example.isMissingNode() ? Optional.empty() : Optional.of(example.asText());
    }

    /** A request body media type with an example (a plain one before multipart forms), and the example as text. */
    private static Optional<Map.Entry<String, String>> body(Operation op) {
        List<Map.Entry<String, JsonNode>> media = new ArrayList<>();
        op.spec().path("requestBody").path("content").fields().forEachRemaining(media::add);
        media.sort(Comparator.comparing(m -> m.getKey().startsWith("multipart/")));
        for (Map.Entry<String, JsonNode> m : media) {
            JsonNode example = m.getValue().get("example");
            if (example == null && m.getValue().has("examples")) {
                example = m.getValue().get("examples").elements().next().get("value");
            }
            if (example != null) {
                return Optional.of(Map.entry(m.getKey(), example.isTextual() ? example.asText() : example.toString()));
            }
        }
        return Optional.empty();
    }

    static List<Operation> operations(String openApi) {
        JsonNode doc;
        try {
            doc = JSON.readTree(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Operation> operations = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String method = op.getKey().toUpperCase();
            if (WRITE_FIRST.contains(method)) {
                operations.add(new Operation(method, path.getKey(), op.getValue(), path.getValue()));
            }
        }));
        return operations;
    }

    static Map<String, Rule> table(String markdown, String app) {
        Map<String, Rule> rows = new LinkedHashMap<>();
        boolean inApp = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                inApp = line.matches("#+\\s+" + app.replace("-", "\\-") + "\\s*");
                continue;
            }
            if (inApp && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.put(cells[1].trim().replace("`", ""), Rule.parse(cells[2].trim().replace("`", "")));
            }
        }
        if (rows.isEmpty()) {
            fail("No Security table rows for " + app + " in docs/SECURITY.md");
        }
        return rows;
    }

    /** docs/SECURITY.md of this checkout: the first parent of the working directory that has it. */
    private static String securityDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/SECURITY.md");
            if (Files.exists(doc)) {
                try {
                    return Files.readString(doc);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("docs/SECURITY.md not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * The check of a page behind form login (a {@code PAGE} row) and of the login form itself ({@code FORM
     * /j_security_check}): an anonymous browser is sent to the login page, a wrong password gets no session, the right
     * user's session shows the page (not frameable), a session of a user without the role gets 403.
     */
    public static Runnable formLoginPage(String path, String rightUser) {
        return () -> {
            RestAssured.given().redirects().follow(false).get(path).then().statusCode(302)
                    .header("Location", org.hamcrest.Matchers.containsString("login"));
            assertEquals(null, formLogin(rightUser, "wrong-" + password(rightUser)), "a wrong password got a session");
            RestAssured.given().redirects().follow(false).cookie(cookieName(), formLogin(rightUser, password(rightUser)))
                    .get(path).then().statusCode(200).header("X-Frame-Options", "DENY");
            RestAssured.given().redirects().follow(false).cookie(cookieName(), formLogin(WRONG_ROLE, password(WRONG_ROLE)))
                    .get(path).then().statusCode(403);
        };
    }

    /** The form login's session cookie for this user, or null when the login failed. */
    public static String formLogin(String user, String password) {
        return RestAssured.given().redirects().follow(false).formParam("j_username", user)
                .formParam("j_password", password).post("/j_security_check").cookie(cookieName());
    }

    private static String cookieName() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.http.auth.form.cookie-name", String.class).orElse("quarkus-credential");
    }

    /** Dev/test passwords are the user name's local part (event-kit's realm). */
    public static String password(String user) {
        int at = user.indexOf('@');
        return at < 0 ? user : user.substring(0, at);
    }
}
