package dev.edapatterns.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The local run's PostgreSQL: {@link PostgresMain} as its own process, as deploy/local/run.sh starts it. */
class PostgresMainTest {

    private static final Pattern READY = Pattern.compile(Pattern.quote(PostgresMain.READY_PREFIX) + "(\\S+)");

    @Test
    void ownProcessKeepsDataAcrossStopAndKill() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "postgres-main-");
        Path dataDir = dir.resolve("data");

        JavaProcess.Started first = start(dataDir, 0);
        String url = first.readyGroup();
        int port = Integer.parseInt(url.replaceFirst(".*:(\\d+)/.*", "$1"));
        assertTrue(url.endsWith("/orders"), url);
        String password = Files.readString(dir.resolve("data.password")).strip();
        PostgresDatabase db = new PostgresDatabase(url, PostgresServer.SUPERUSER, password);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("create table kept (id int primary key)");
            s.execute("insert into kept values (1)");
        }

        first.process().stop(Duration.ofSeconds(60)); // SIGTERM, as run.sh's Ctrl-C
        assertFalse(KafkaBroker.listening(port), "server stopped with its JVM");
        assertFalse(Files.exists(dataDir.resolve("postmaster.pid")), "clean shutdown");

        JavaProcess.Started second = start(dataDir, port);
        assertEquals(1, count(db), "data kept across a clean stop");
        second.process().kill(); // kill -9 of the supervising JVM: the server itself keeps running
        assertTrue(KafkaBroker.listening(port), "the server is its own process");

        JavaProcess.Started third = start(dataDir, port); // takes the leftover over: stops it, starts again
        assertEquals(1, count(db), "data kept after the supervisor was killed");
        third.process().stop(Duration.ofSeconds(60));
        assertFalse(KafkaBroker.listening(port));
        PostgresBinaries.deleteTree(dir);
    }

    private static JavaProcess.Started start(Path dataDir, int port) {
        return JavaProcess.builder("postgres-main-" + port, PostgresMain.class.getName())
                .args("--data-dir", dataDir.toString(), "--port", String.valueOf(port), "--database", "orders",
                        "--set", "fsync=off") // throw-away data: no waiting for the disk
                .readyPattern(READY)
                .start();
    }

    private static int count(PostgresDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from kept")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
