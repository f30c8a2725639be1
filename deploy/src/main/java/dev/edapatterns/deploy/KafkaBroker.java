package dev.edapatterns.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node KRaft broker running in this JVM (tests) or as the whole of its own process
 * ({@link KafkaBrokerMain}). No Docker: the broker is the {@code kafka_2.13} jar the Quarkus BOM manages.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The ports {@link #freePort()} gave out in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final BrokerSettings settings;
    private final KafkaRaftServer server;

    private KafkaBroker(BrokerSettings settings, KafkaRaftServer server) {
        this.settings = settings;
        this.server = server;
    }

    /** Formats {@code dataDir} if it was never formatted, starts the broker and waits until it answers. */
    public static KafkaBroker start(BrokerSettings settings, Duration readyTimeout) {
        Properties props = settings.toProperties();
        formatOnce(settings.dataDir(), props);
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(settings, server);
        try {
            broker.awaitReady(readyTimeout);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** A broker on free ports with its data in a new directory under {@code parent}. */
    public static KafkaBroker startOnFreePorts(Path parent, Map<String, String> overrides) {
        try {
            Files.createDirectories(parent);
            Path dataDir = Files.createTempDirectory(parent, "kafka-");
            return start(new BrokerSettings(dataDir, freePort(), freePort(), overrides), Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    public BrokerSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /** Re-formatting with a new cluster id would make a restart fail, so format only a fresh dir. */
    static void formatOnce(Path dataDir, Properties props) {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("meta.properties"))) {
                return;
            }
            Path config = dataDir.resolveSibling(dataDir.getFileName() + ".format.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "written by KafkaBroker to format the log dir");
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString() },
                    new PrintStream(buf, true, StandardCharsets.UTF_8));
            Files.deleteIfExists(config);
            if (rc != 0) {
                throw new IllegalStateException("Formatting " + dataDir + " failed: " + buf.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> cfg = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        RuntimeException last = null;
        try (Admin admin = Admin.create(cfg)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready", e);
                }
            }
        }
        throw last != null ? last : new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready in " + timeout);
    }

    public static int freePort() {
        // never the same port twice in one JVM: the OS may hand a port it just gave out (and that is closed again) out
        // at once, and a broker given one port for both its listeners fails to start
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Something accepts connections on this port of localhost (within 2 s). */
    public static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
