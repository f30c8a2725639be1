package dev.edapatterns.order.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Shape 1 of each projection (db/shapes) creates exactly the table the first migration created as version 1: same
 * columns (types, collations, nullability, defaults) and same indexes. Checked in a scratch schema inside a transaction
 * that is rolled back, so nothing of it stays in the read model's database.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class ShapeDdlTest {

    @Inject
    Instance<DataSource> dataSources;

    @Test
    void shapeOneIsWhatTheFirstMigrationCreated() throws Exception {
        try (Connection c = dataSources.get().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA shape_check");
                s.execute("SET LOCAL search_path TO shape_check");
                s.execute(resource("db/migration/V1__read_model.sql"));
                for (ProjectionKind kind : ProjectionKind.ALL) {
                    s.execute(ProjectionShape.newest(List.of("db/shapes"), kind.view()).createTable(kind.table(2)));
                    List<String> migrated = catalog(c, kind.table(1));
                    assertFalse(migrated.isEmpty(), kind.view());
                    assertEquals(migrated, catalog(c, kind.table(2)), kind.view() + ": shape 1 against V1's table");
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** Columns and index definitions of {@code table} in shape_check, with the table's name replaced by {@code T}. */
    private static List<String> catalog(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, collation_name, is_nullable,"
                + " numeric_precision, numeric_scale, column_default FROM information_schema.columns"
                + " WHERE table_schema = 'shape_check' AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add("column " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6) + " " + rs.getString(7));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT indexdef FROM pg_indexes"
                + " WHERE schemaname = 'shape_check' AND tablename = ? ORDER BY indexname")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).replace(table, "T"));
                }
            }
        }
        return out;
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = ShapeDdlTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
