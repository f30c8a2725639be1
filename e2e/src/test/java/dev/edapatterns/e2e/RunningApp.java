package dev.edapatterns.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import dev.edapatterns.deploy.JavaProcess;

/** A packaged Quarkus app ({@code <module>/target/quarkus-app/quarkus-run.jar}) started as its own process. */
final class RunningApp implements AutoCloseable {

    /** The system properties naming the app's broker and its instance id (its static members' id suffix). */
    static final String BOOTSTRAP = "kafka.bootstrap.servers";
    static final String INSTANCE_ID = "eventkit.instance-id";

    final String name;
    final int port;
    private final JavaProcess process;
    private final Map<String, String> config;

    private RunningApp(String name, int port, JavaProcess process, Map<String, String> config) {
        this.name = name;
        this.port = port;
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
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the app first (./mvnw -B verify builds it before e2e)");
        }
        JavaProcess.Builder builder = JavaProcess.builder(processName, "io.quarkus.bootstrap.runner.QuarkusEntryPoint")
                .classpath(jar.toString())
                .systemProperty("quarkus.http.port", String.valueOf(port))
                .readyPattern(Pattern.compile("Listening on: (http://\\S+)"))
                .readyTimeout(Duration.ofSeconds(120));
        config.forEach(builder::systemProperty);
        return new RunningApp(module, port, builder.start().process(), config);
    }

    /** SIGKILL: no shutdown hook, no graceful leave, open transactions left for the broker to abort. */
    void kill() {
        process.kill();
        process.waitFor(Duration.ofSeconds(10));
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

    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String url() {
        return "http://localhost:" + port;
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
