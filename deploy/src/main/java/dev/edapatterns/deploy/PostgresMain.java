package dev.edapatterns.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * PostgreSQL for the local run and dev mode, supervised by its own JVM:
 * {@code java -cp deploy/target/kafka-launcher.jar dev.edapatterns.deploy.PostgresMain --data-dir target/local-postgres}.
 * Prints exactly one {@value #READY_PREFIX} line once clients can connect (the URL of the last {@code --database});
 * SIGTERM / Ctrl-C stop the server (fast shutdown) and then this JVM.
 *
 * <pre>
 * --data-dir DIR        the database cluster, kept across restarts (initialised when empty)
 * --port N              on 127.0.0.1 (default 5432; 0 = any free port)
 * --database NAME       created when missing, repeatable
 * --set key=value       server setting (postgres -c), repeatable, e.g. shared_buffers=512MB; fsync=off only for
 *                       throw-away data (tests)
 * --password-file FILE  the superuser's password (default DIR.password beside the data): read, or generated
 *                       and written (mode 600) when missing; POSTGRES_PASSWORD in the environment wins over it.
 *                       The password takes effect when the data directory is initialised: a kept cluster keeps it.
 * </pre>
 */
public final class PostgresMain {

    public static final String READY_PREFIX = "POSTGRES READY jdbc.url=";

    public static void main(String[] args) throws Exception {
        Path dataDir = null;
        Path passwordFile = null;
        int port = 5432;
        List<String> databases = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                case "--port" -> port = Integer.parseInt(require(args[i], value));
                case "--database" -> databases.add(require(args[i], value));
                case "--password-file" -> passwordFile = Path.of(require(args[i], value));
                case "--set" -> {
                    String kv = require(args[i], value);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--set needs key=value, got " + kv);
                    }
                    settings.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                default -> usage("unknown argument " + args[i]);
            }
            i++;
        }
        if (dataDir == null) {
            usage("--data-dir is required");
        }
        if (passwordFile == null) {
            passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".password");
        }
        String password = System.getenv("POSTGRES_PASSWORD");
        if (password == null || password.isEmpty()) {
            password = readOrCreate(passwordFile);
        }

        PostgresServer server = PostgresServer.start(dataDir, port, password, settings);
        // before anything else can fail: the server never outlives this JVM's normal exit
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "postgres-shutdown"));
        PostgresDatabase db = server.database("postgres");
        try {
            for (String name : databases) {
                db = server.createDatabase(name);
            }
        } catch (IllegalStateException e) {
            System.err.println("PostgresMain: " + e.getMessage() + ": " + e.getCause().getMessage()
                    + " (a kept data directory keeps the password it was initialised with: " + passwordFile
                    + " or POSTGRES_PASSWORD must match it)");
            System.exit(1);
        }
        System.out.println(READY_PREFIX + db.jdbcUrl() + " user=" + db.username() + " data=" + server.dataDir());
        System.out.flush();
        stopped.await();
    }

    /** A random password kept beside the data, so every later run (and dev mode) finds the one the cluster has. */
    private static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return password;
    }

    private static String require(String flag, String value) {
        if (value == null) {
            usage(flag + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("PostgresMain: " + problem);
        System.err.println("usage: --data-dir DIR [--port 5432] [--database NAME]... [--password-file FILE] [--set key=value]...");
        System.exit(2);
    }
}
