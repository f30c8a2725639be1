package dev.edapatterns.eventkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.deploy.PostgresDatabase;

/** The test JVM's real PostgreSQL: one server, a new empty database per test resource start. */
class TestPostgresTest {

    @Test
    void eachStartGetsItsOwnEmptyDatabaseOnTheOneServer() throws Exception {
        PostgresTestResource resource = new PostgresTestResource();
        Map<String, String> first = resource.start();
        Map<String, String> second = resource.start();

        String url1 = first.get("quarkus.datasource.jdbc.url");
        String url2 = second.get("quarkus.datasource.jdbc.url");
        assertNotEquals(url1, url2);
        assertEquals(url1.replaceFirst("/[^/]+$", ""), url2.replaceFirst("/[^/]+$", ""), "one server");

        PostgresDatabase db1 = new PostgresDatabase(url1, first.get("quarkus.datasource.username"),
                first.get("quarkus.datasource.password"));
        PostgresDatabase db2 = new PostgresDatabase(url2, second.get("quarkus.datasource.username"),
                second.get("quarkus.datasource.password"));
        try (Connection c = db1.connect(); Statement s = c.createStatement()) {
            s.execute("create table marker (id int)");
            try (ResultSet rs = s.executeQuery("show server_version")) {
                assertTrue(rs.next());
                assertEquals("17.5", rs.getString(1));
            }
        }
        try (Connection c = db2.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from information_schema.tables where table_name = 'marker'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "the second database starts empty");
        }
        resource.stop();
    }
}
