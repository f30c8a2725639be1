package dev.edapatterns.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The real PostgreSQL server, as whichever user runs the build (root in CI: then it runs as eda-postgres). */
class PostgresServerTest {

    private static final Map<String, String> FAST = Map.of("fsync", "off");

    @Test
    void servesVersion17AndKeepsItsDataAcrossRestarts() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "postgres-");
        Path dataDir = dir.resolve("data");
        int port;
        try (PostgresServer server = PostgresServer.start(dataDir, 0, "secret-1", FAST)) {
            port = server.port();
            PostgresDatabase db = server.createDatabase("shop");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertTrue(single(s, "select version()").startsWith("PostgreSQL 17.5"), single(s, "select version()"));
                s.execute("create table customers (email text primary key, name text not null)");
                s.execute("insert into customers values ('ada@example.com', 'Ada')");
            }
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            assertThrows(java.io.IOException.class, () -> socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000),
                    "closed server still listens");
        }

        try (PostgresServer again = PostgresServer.start(dataDir, port, "secret-1", FAST);
             Connection c = again.database("shop").connect(); Statement s = c.createStatement()) {
            assertEquals("Ada", single(s, "select name from customers where email = 'ada@example.com'"));
            assertThrows(SQLException.class, () -> new PostgresDatabase(again.database("shop").jdbcUrl(),
                    PostgresServer.SUPERUSER, "wrong").connect().close(), "a wrong password is refused");
        }
        PostgresBinaries.deleteTree(dir);
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
