package dev.edapatterns.eventkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.edapatterns.deploy.PostgresDatabase;
import dev.edapatterns.deploy.PostgresServer;

/**
 * The one real PostgreSQL server of a test JVM: started on first use on a free port with its data in a new directory
 * under {@code target/}, stopped and deleted when the JVM exits. Each {@link #freshDatabase()} is a new, empty
 * database on it, so test classes never see each other's rows. Shared by {@link PostgresTestResource} (Quarkus tests)
 * and plain JUnit tests (e2e, bench), whose child app processes connect to the same server: it is its own process.
 */
public final class TestPostgres {

    /** Test speed over durability: a crashed test server is thrown away anyway. */
    private static final Map<String, String> FAST = Map.of("fsync", "off", "synchronous_commit", "off",
            "full_page_writes", "off");
    private static final String PASSWORD = "test-postgres-password";

    /** Set once the server runs: Quarkus tests load this class in another class loader, the JVM has one server. */
    private static final String SHARED_PORT = "edapatterns.test-postgres.port";
    private static final String DATABASES = "edapatterns.test-postgres.databases";
    private static final String DUPLICATE_DATABASE = "42P04";

    private TestPostgres() {
    }

    /** The server's maintenance database {@code postgres}, as the superuser (starts the server on first use). */
    public static synchronized PostgresDatabase shared() {
        String port = System.getProperty(SHARED_PORT);
        if (port == null) {
            port = String.valueOf(start().port());
            System.setProperty(SHARED_PORT, port);
        }
        return new PostgresDatabase("jdbc:postgresql://127.0.0.1:" + port + "/postgres", PostgresServer.SUPERUSER, PASSWORD);
    }

    /**
     * A new empty database ({@code test_1}, {@code test_2}, ...) on the shared server; for an app in a child process
     * (e2e, bench) pass its {@link PostgresDatabase#environment()}.
     */
    public static synchronized PostgresDatabase freshDatabase() {
        PostgresDatabase admin = shared();
        // counted in a system property, not a field: both class loaders' copies of this class share it; a name
        // taken meanwhile by the other copy is skipped
        while (true) {
            int n = Integer.getInteger(DATABASES, 0) + 1;
            System.setProperty(DATABASES, String.valueOf(n));
            String name = "test_" + n;
            try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                s.execute("create database " + name);
                return new PostgresDatabase(admin.jdbcUrl().replaceFirst("/postgres$", "/" + name), admin.username(), PASSWORD);
            } catch (SQLException e) {
                if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                    throw new IllegalStateException("could not create database " + name + " on " + admin, e);
                }
            }
        }
    }

    private static PostgresServer start() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            removeAbandoned(target);
            Path dir = Files.createTempDirectory(target, "postgres-test-");
            PostgresServer server = PostgresServer.start(dir.resolve("data"), 0, PASSWORD, FAST);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                deleteTree(dir);
            }, "test-postgres-shutdown"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Servers of test JVMs that were killed (no shutdown hook ran) keep running and hold their port: stop them and
     * delete their data. Only directories older than a minute, so a JVM starting right now keeps its new one.
     */
    private static void removeAbandoned(Path target) throws IOException {
        Instant startedBefore = Instant.now().minus(Duration.ofMinutes(1));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(target, "postgres-test-*")) {
            for (Path dir : dirs) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(startedBefore)
                        && PostgresServer.stopIfAbandoned(dir.resolve("data"))) {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // target/ is cleaned by the next mvn clean anyway
        }
    }
}
