package dev.edapatterns.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import dev.edapatterns.deploy.AppSecrets;
import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestPostgres;

/**
 * A packaged Quarkus app ({@code <module>/target/quarkus-app/quarkus-run.jar}) started as its own process, in the
 * prod profile: the users' passwords and the keys come from its environment ({@link AppSecrets#forTests()}, the users
 * {@link Http#as} logs in as), health and metrics from its management interface on a port of its own.
 */
final class RunningApp implements AutoCloseable {

    /** The system properties naming the app's broker and its instance id (its static members' id suffix). */
    static final String BOOTSTRAP = "kafka.bootstrap.servers";
    static final String INSTANCE_ID = "eventkit.instance-id";

    final String name;
    final int port;
    /** The management interface's port; the API port when the app has none (then health and metrics sit there). */
    final int managementPort;
    private final JavaProcess process;
    private final Map<String, String> config;

    private RunningApp(String name, int port, int managementPort, JavaProcess process, Map<String, String> config) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.config = Map.copyOf(config);
    }

    static RunningApp start(String module, int port, Map<String, String> config) {
        return start(module, module, port, config);
    }

    /**
     * One of several processes of the same module: {@code processName} names its log
     * ({@code target/process-logs/<processName>.log}), so the processes' outputs stay apart.
     */
    static RunningApp start(String module, String processName, int port, Map<String, String> config) {
        return start(module, processName, port, config, java.util.List.of());
    }

    /** With further JVM options, after the defaults (so {@code -Xmx256m} replaces the default heap limit). */
    static RunningApp start(String module, String processName, int port, Map<String, String> config,
            java.util.List<String> jvmArgs) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the app first (./mvnw -B verify builds it before e2e)");
        }
        int management = Integer.parseInt(config.getOrDefault("quarkus.management.port", String.valueOf(KafkaBroker.freePort())));
        JavaProcess.Builder builder = JavaProcess.builder(processName, "io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .classpath(jar.toString())
                .systemProperty("quarkus.http.port", String.valueOf(port))
                .systemProperty("quarkus.management.port", String.valueOf(management))
                .readyPattern(Pattern.compile("Listening on: (http://\\S+)"))
                .readyTimeout(Duration.ofSeconds(120));
        jvmArgs.forEach(builder::jvmArg);
        AppSecrets.forTests().forEach(builder::environment);
        if (module.equals("order-app") && !config.containsKey("quarkus.datasource.jdbc.url")
                && !"false".equals(config.get("order.read-model.enabled"))) {
            // its read model projects into a real PostgreSQL: a database of its own on the test JVM's server
            TestPostgres.freshDatabase().environment().forEach(builder::environment);
        }
        config.forEach(builder::systemProperty);
        JavaProcess process = builder.start().process();
        // both servers are bound before Quarkus prints its "Listening on" line
        return new RunningApp(module, port, KafkaBroker.listening(management) ? management : port, process, config);
    }

    /** SIGKILL: no shutdown hook, no graceful leave, open transactions left for the broker to abort. */
    void kill() {
        process.kill();
        process.waitFor(Duration.ofSeconds(10));
    }

    /**
     * SIGSTOP: the process stands still, every thread of it, until {@link #resume()}; its sockets stay open and requests
     * to it wait. Holds an import where it is, to act while it is mid-way.
     */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM; true when the process exited by itself within {@code grace}, else it is killed and false. */
    boolean terminate(Duration grace) {
        process.terminate();
        if (process.waitFor(grace)) {
            return true;
        }
        process.kill();
        return false;
    }

    long pid() {
        return process.pid();
    }

    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String url() {
        return "http://localhost:" + port;
    }

    /** Where {@code /q/health}, {@code /q/metrics} (and {@code /ops} if it moved there) answer, without credentials. */
    String managementUri() {
        return "http://localhost:" + managementPort;
    }

    /** {@code /q/health/ready} answers 200 (all of the app's readiness checks are up). */
    boolean ready() {
        try {
            return Http.get(managementUri() + "/q/health/ready").status() == 200;
        } catch (RuntimeException e) { // not listening (yet, or any more)
            return false;
        }
    }

    /**
     * GET of an operations endpoint ({@code /ops/...}): on the management interface when it is there, else on the API
     * port as {@code admin} (it requires an admin role there).
     */
    Http.Response ops(String path) {
        if (managementPort != port) {
            Http.Response onManagement = Http.get(managementUri() + path);
            if (onManagement.status() != 404) {
                return onManagement;
            }
        }
        return Http.as(AppSecrets.ADMIN).get(url() + path);
    }

    /** SIGTERM (SIGKILL after 20 s), then its static members leave their groups ({@link StaticMembers}). */
    @Override
    public void close() {
        process.stop(Duration.ofSeconds(20));
        if (config.containsKey(BOOTSTRAP) && config.containsKey(INSTANCE_ID)) {
            StaticMembers.removeOf(config.get(BOOTSTRAP), config.get(INSTANCE_ID));
        }
    }
}
