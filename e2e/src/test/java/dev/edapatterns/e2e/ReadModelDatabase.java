package dev.edapatterns.e2e;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.deploy.PostgresDatabase;
import dev.edapatterns.e2e.ProjectionInput.OrderRow;

/**
 * order-app's read model as PostgreSQL holds it, read by the test over JDBC (the server is its own process and
 * outlives the app): the projections' stored offsets, their tables through the live views, and what the app's own
 * connections are doing ({@code pg_stat_activity}, {@code pg_stat_database}) — so a test sees a batch transaction
 * open and, after a {@code kill -9}, that PostgreSQL rolled it back.
 */
final class ReadModelDatabase implements AutoCloseable {

    private final Connection connection;

    ReadModelDatabase(PostgresDatabase database) {
        try {
            connection = database.connect();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + database, e);
        }
    }

    /** The live version's stored next offsets of {@code projection} (empty before its first batch). */
    Map<TopicPartition, Long> storedOffsets(String projection) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        query("SELECT o.topic, o.partition, o.next_offset FROM projection_offsets o JOIN projection_versions v"
                + " ON v.projection = o.projection AND v.live_version = o.version WHERE o.projection = ?", List.of(projection),
                rs -> offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3)));
        return offsets;
    }

    /** Connections to this database other than the test's own (the app's pool). */
    int appConnections() {
        int[] n = {0};
        query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND backend_type = 'client backend'", List.of(), rs -> n[0] = rs.getInt(1));
        return n[0];
    }

    /** Whether one of the app's connections has a transaction open that has written (a batch between lock and commit). */
    boolean appWriting() {
        boolean[] open = {false};
        query("SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND backend_type = 'client backend' AND backend_xid IS NOT NULL", List.of(), rs -> open[0] = rs.getBoolean(1));
        return open[0];
    }

    /** Transactions rolled back in this database since the server started (PostgreSQL's own count). */
    long rolledBack() {
        long[] n = {0};
        query("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()", List.of(), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** Every customer row (view {@code customers}), as the contact it was projected from. */
    Map<String, Contact> customers() {
        Map<String, Contact> rows = new HashMap<>();
        query("SELECT email, name, country, phone, time_zone, import_id, updated_at FROM customers", List.of(), rs -> {
            Timestamp updated = rs.getTimestamp(7);
            rows.put(rs.getString(1), new Contact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), updated == null ? null : updated.toInstant()));
        });
        return rows;
    }

    /** Every order_history row (view {@code order_history}). */
    Map<String, OrderRow> orderHistory() {
        Map<String, OrderRow> rows = new HashMap<>();
        query("SELECT order_id, customer_id, checked_out_at, items, items_total, delivery_status, invoice_number, currency,"
                + " invoice_total FROM order_history", List.of(), rs -> {
                    String items = rs.getString(4);
                    long number = rs.getLong(7);
                    Long invoice = rs.wasNull() ? null : number;
                    rows.put(rs.getString(1), new OrderRow(rs.getString(2), rs.getTimestamp(3).toInstant(),
                            items == null ? null : OrderRow.items(parse(items)), OrderRow.amount(rs.getBigDecimal(5)),
                            rs.getString(6), invoice, rs.getString(8), OrderRow.amount(rs.getBigDecimal(9))));
                });
        return rows;
    }

    private static List<OrderItem> parse(String items) {
        try {
            return Json.mapper().readValue(items, new TypeReference<List<OrderItem>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("order_history.items is not a list of order items: " + items, e);
        }
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, List<Object> parameters, Row row) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // the server is stopped with the test JVM anyway
        }
    }
}
