package dev.edapatterns.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The broker in a child JVM, for tests that kill or restart it. Ports and data dir stay the same across
 * {@link #restart()}, so clients reconnect to the same address and find their data.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile(Pattern.quote(KafkaBrokerMain.READY_PREFIX) + "(\\S+)");

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final java.util.List<String> jvmArgs;
    private JavaProcess process;

    private KafkaBrokerProcess(Path dataDir, int port, int controllerPort, java.util.List<String> jvmArgs) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvmArgs = jvmArgs;
    }

    /** With the test defaults of {@link JavaProcess} (small heap, fast start). */
    public static KafkaBrokerProcess start(Path dataDir) {
        return start(dataDir, java.util.List.of());
    }

    /** With these JVM options instead of the test defaults, e.g. a full JIT and a bigger heap for benchmarks. */
    public static KafkaBrokerProcess start(Path dataDir, java.util.List<String> jvmArgs) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dataDir, KafkaBroker.freePort(), KafkaBroker.freePort(), jvmArgs);
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public JavaProcess process() {
        return process;
    }

    /** {@code kill -9} the broker. */
    public void kill() {
        process.kill();
    }

    /** Clean stop (SIGTERM: controlled shutdown, logs flushed), {@code kill -9} only if that takes over 30 s. */
    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }

    /** Clean stop (SIGTERM), then start again on the same ports and data. */
    public void restart() {
        stop();
        launch();
    }

    /** Start again after {@link #kill()} or {@link #stop()}: same ports, same data dir (not formatted again). */
    public void launch() {
        JavaProcess.Builder builder = JavaProcess.builder("kafka-broker-" + port, KafkaBrokerMain.class.getName());
        if (!jvmArgs.isEmpty()) {
            builder.clearJvmArgs();
            jvmArgs.forEach(builder::jvmArg);
        }
        process = builder.args("--data-dir", dataDir.toAbsolutePath().toString(), "--port", String.valueOf(port),
                        "--controller-port", String.valueOf(controllerPort))
                .readyPattern(READY)
                .start()
                .process();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
