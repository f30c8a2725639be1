package dev.edapatterns.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The broker as its own process: {@code java -jar deploy/target/kafka-launcher.jar --data-dir target/kafka}.
 * Prints exactly one {@value #READY_PREFIX} line once clients can connect; SIGTERM / Ctrl-C shut it down cleanly.
 *
 * <pre>
 * --data-dir DIR          log dir, kept across restarts (formatted only when meta.properties is missing)
 * --port N                PLAINTEXT port on 127.0.0.1 (default 9092; 0 = any free port)
 * --controller-port N     CONTROLLER port (default port + 1; 0 = any free port)
 * --set key=value         extra broker property, repeatable
 * </pre>
 */
public final class KafkaBrokerMain {

    public static final String READY_PREFIX = "KAFKA READY bootstrap.servers=";

    public static void main(String[] args) throws InterruptedException {
        // Before any logger exists: the broker logs a lot at INFO.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path dataDir = null;
        int port = 9092;
        Integer controllerPort = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> { dataDir = Path.of(require(args[i], value)); i++; }
                case "--port" -> { port = Integer.parseInt(require(args[i], value)); i++; }
                case "--controller-port" -> { controllerPort = Integer.parseInt(require(args[i], value)); i++; }
                case "--set" -> {
                    String kv = require(args[i], value);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--set needs key=value, got " + kv);
                    }
                    overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
                    i++;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (dataDir == null) {
            usage("--data-dir is required");
        }
        if (port == 0) {
            port = KafkaBroker.freePort();
        }
        int cport = controllerPort == null ? port + 1 : controllerPort == 0 ? KafkaBroker.freePort() : controllerPort;

        KafkaBroker broker = KafkaBroker.start(new BrokerSettings(dataDir, port, cport, overrides), Duration.ofSeconds(90));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-broker-shutdown"));
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static String require(String flag, String value) {
        if (value == null) {
            usage(flag + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("KafkaBrokerMain: " + problem);
        System.err.println("usage: --data-dir DIR [--port 9092] [--controller-port N] [--set key=value]...");
        System.exit(2);
    }
}
