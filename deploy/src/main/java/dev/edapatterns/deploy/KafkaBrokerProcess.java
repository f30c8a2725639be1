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
    private JavaProcess process;

    private KafkaBrokerProcess(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public static KafkaBrokerProcess start(Path dataDir) {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dataDir, KafkaBroker.freePort(), KafkaBroker.freePort());
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

    /** Clean stop (SIGTERM), then start again on the same ports and data. */
    public void restart() {
        process.stop(Duration.ofSeconds(30));
        launch();
    }

    /** Start again after {@link #kill()}. */
    public void launch() {
        process = JavaProcess.builder("kafka-broker-" + port, KafkaBrokerMain.class.getName())
                .args("--data-dir", dataDir.toAbsolutePath().toString(), "--port", String.valueOf(port),
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
