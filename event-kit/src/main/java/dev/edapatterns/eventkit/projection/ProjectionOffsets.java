package dev.edapatterns.eventkit.projection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

/**
 * The source of truth for where a projection version stands: {@code projection_offsets}, one row per
 * (projection, version, topic, partition) with the next offset to read and the timestamp of the last record applied
 * there. The app's migration creates the table ({@link #DDL}); every write happens inside the batch's transaction.
 */
public final class ProjectionOffsets {

    /** The table every app with projections creates in its migrations (PostgreSQL). */
    public static final String DDL = """
            CREATE TABLE projection_offsets (
                projection     text        NOT NULL,
                version        integer     NOT NULL,
                topic          text        NOT NULL,
                partition      integer     NOT NULL,
                next_offset    bigint      NOT NULL,
                last_record_at timestamptz,
                PRIMARY KEY (projection, version, topic, partition)
            )""";

    private static final String SELECT = "SELECT topic, partition, next_offset FROM projection_offsets"
            + " WHERE projection = ? AND version = ?";
    private static final String LOCK = SELECT + " AND topic || ':' || partition = ANY (?) FOR UPDATE";
    private static final String UPSERT = "INSERT INTO projection_offsets"
            + " (projection, version, topic, partition, next_offset, last_record_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (projection, version, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset,"
            + " last_record_at = COALESCE(EXCLUDED.last_record_at, projection_offsets.last_record_at)";
    private static final String LAST_RECORD_AT = "SELECT max(last_record_at) FROM projection_offsets"
            + " WHERE projection = ? AND version = ?";

    private final String projection;
    private final int version;

    public ProjectionOffsets(String projection, int version) {
        this.projection = projection;
        this.version = version;
    }

    /** Every stored next offset of this projection version. */
    public Map<TopicPartition, Long> load(Connection c) throws SQLException {
        return read(c, SELECT, null);
    }

    /**
     * The stored offsets, locked until the transaction ends: two processes that both believe they own a partition
     * (one of them not yet told of a rebalance) commit one after the other and the second sees the first's offsets.
     */
    public Map<TopicPartition, Long> lock(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        Object[] keys = partitions.stream().map(tp -> tp.topic() + ":" + tp.partition()).toArray();
        Array array = c.createArrayOf("text", keys);
        try {
            return read(c, LOCK, array);
        } finally {
            array.free();
        }
    }

    public void save(Connection c, Map<TopicPartition, Long> next, Instant lastRecordAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                ps.setString(1, projection);
                ps.setInt(2, version);
                ps.setString(3, e.getKey().topic());
                ps.setInt(4, e.getKey().partition());
                ps.setLong(5, e.getValue());
                ps.setTimestamp(6, lastRecordAt == null ? null : Timestamp.from(lastRecordAt));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The newest record timestamp applied by this version, over all partitions. */
    public Optional<Instant> lastRecordAt(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_RECORD_AT)) {
            ps.setString(1, projection);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        }
    }

    private Map<TopicPartition, Long> read(Connection c, String sql, Array partitions) throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projection);
            ps.setInt(2, version);
            if (partitions != null) {
                ps.setArray(3, partitions);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return out;
    }
}
