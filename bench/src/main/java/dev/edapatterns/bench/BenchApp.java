package dev.edapatterns.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import dev.edapatterns.deploy.AppSecrets;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;

/**
 * A packaged app ({@code <module>/target/quarkus-app}) started for a benchmark, in the prod profile: the users'
 * passwords and keys in its environment ({@link AppSecrets#forTests()}), its management interface (health, metrics)
 * on a port of its own, and the calls that log in as one of those users.
 */
final class BenchApp {

    /** API port -> management port of the apps started here. */
    private static final Map<Integer, Integer> MANAGEMENT_PORTS = new ConcurrentHashMap<>();

    private BenchApp() {
    }

    /** Classpath, ports, secrets and the ready line set; JVM options and system properties are the caller's. */
    static JavaProcess.Builder builder(String module, String processName, int port) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B install -DskipTests first");
        }
        int management = MANAGEMENT_PORTS.computeIfAbsent(port, p -> KafkaBroker.freePort());
        JavaProcess.Builder builder = JavaProcess.builder(processName, "io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .classpath(jar.toString()).clearJvmArgs()
                .systemProperty("quarkus.http.port", String.valueOf(port))
                .systemProperty("quarkus.management.port", String.valueOf(management))
                .readyPattern(Pattern.compile("Listening on: (http://\\S+)|started in"))
                .readyTimeout(Duration.ofSeconds(120));
        AppSecrets.forTests().forEach(builder::environment);
        return builder;
    }

    /** Where the app on {@code port} serves health and metrics: its management interface, else the API port. */
    static String managementUrl(int port) {
        Integer management = MANAGEMENT_PORTS.get(port);
        return "http://localhost:" + (management != null && KafkaBroker.listening(management) ? management : port);
    }

    /** A request as one of the shop's users (HTTP Basic). */
    static HttpRequest.Builder as(String user, String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", AppSecrets.basicAuthorization(user));
    }

    /** GET of {@code /ops/...}: on the management interface when it is there, else on the API port as admin. */
    static String ops(HttpClient http, int port, String path) throws IOException, InterruptedException {
        String management = managementUrl(port);
        if (!management.equals("http://localhost:" + port)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(management + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 404) {
                return r.body();
            }
        }
        return http.send(as(AppSecrets.ADMIN, "http://localhost:" + port + path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** {@code k=v,k=v} (e.g. a {@code -Dbench.*.app-config} value) as app properties, for experiments. */
    static Map<String, String> appConfig(String pairs) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        for (String kv : pairs.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                config.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return config;
    }
}
