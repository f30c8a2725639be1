package dev.edapatterns.order.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import dev.edapatterns.eventkit.projection.ProjectionOffsets;

/**
 * {@code projection_versions} and the DDL of a rebuild: which version of a projection serves ({@code live_version},
 * the table behind its view) and which one is being built beside it ({@code building_version}). Every change is one
 * transaction with the row locked, so concurrent instances agree on one rebuild and one switch.
 */
final class VersionsTable {

    /** A projection's versions now, each with its {@link ProjectionShape} number (building: null when none). */
    record Versions(int live, int liveShape, Integer building, Integer buildingShape) {
    }

    private VersionsTable() {
    }

    static Versions read(Connection c, ProjectionKind kind, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT live_version, live_shape, building_version, building_shape"
                + " FROM projection_versions WHERE projection = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, kind.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("projection_versions has no row for " + kind.name());
                }
                int building = rs.getInt(3);
                boolean none = rs.wasNull();
                return new Versions(rs.getInt(1), rs.getInt(2), none ? null : building, none ? null : rs.getInt(4));
            }
        }
    }

    /**
     * Starts version live+1: an empty table of {@code shape} (this release's: the live one's or a newer one), no offsets
     * (so it reads its topics from the start), recorded as building. Null if a rebuild is already running.
     */
    static Versions beginRebuild(Connection c, ProjectionKind kind, ProjectionShape shape) throws SQLException {
        Versions now = read(c, kind, true);
        if (now.building() != null || now.liveShape() > shape.number()) {
            return null; // one rebuild at a time; and never back to an older shape
        }
        int next = now.live() + 1;
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + kind.table(next));
            s.execute(shape.createTable(kind.table(next)));
        }
        deleteOffsets(c, kind, next);
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE projection_versions SET building_version = ?, building_shape = ? WHERE projection = ?")) {
            ps.setInt(1, next);
            ps.setInt(2, shape.number());
            ps.setString(3, kind.name());
            ps.executeUpdate();
        }
        return new Versions(now.live(), now.liveShape(), next, shape.number());
    }

    /**
     * Points the view at {@code version} and makes it live, if it is still the one being built. Readers hold the
     * view while they query: the switch waits for the running queries and the next ones wait for the switch, so
     * every answer comes whole from one version.
     */
    static boolean switchTo(Connection c, ProjectionKind kind, int version) throws SQLException {
        Versions now = read(c, kind, true);
        if (now.building() == null || now.building() != version) {
            return false;
        }
        try (Statement s = c.createStatement()) {
            // drop + create, not CREATE OR REPLACE: a new version may change the columns
            s.execute("DROP VIEW " + kind.view());
            s.execute("CREATE VIEW " + kind.view() + " AS SELECT * FROM " + kind.table(version));
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE projection_versions SET live_version = ?, live_shape = ?, building_version = NULL,"
                        + " building_shape = NULL WHERE projection = ?")) {
            ps.setInt(1, version);
            ps.setInt(2, now.buildingShape());
            ps.setString(3, kind.name());
            ps.executeUpdate();
        }
        return true;
    }

    /** Drops a replaced version's table and offsets (after the switch committed). */
    static void drop(Connection c, ProjectionKind kind, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + kind.table(version));
        }
        deleteOffsets(c, kind, version);
    }

    /** Records on {@code ends}' partitions that {@code version} has not applied (no offset stored: none applied). */
    static long lag(Connection c, ProjectionKind kind, int version, Map<TopicPartition, Long> ends) throws SQLException {
        Map<TopicPartition, Long> stored = new ProjectionOffsets(kind.name(), version).load(c);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            lag += Math.max(0, end.getValue() - stored.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    private static void deleteOffsets(Connection c, ProjectionKind kind, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM projection_offsets WHERE projection = ? AND version = ?")) {
            ps.setString(1, kind.name());
            ps.setInt(2, version);
            ps.executeUpdate();
        }
    }
}
