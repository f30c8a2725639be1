package dev.edapatterns.order.readmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.order.readmodel.Answers.Customer;
import dev.edapatterns.order.readmodel.Answers.DayRevenue;
import dev.edapatterns.order.readmodel.Answers.OrderSummary;
import dev.edapatterns.order.readmodel.Answers.Page;
import dev.edapatterns.order.readmodel.Answers.Revenue;

/**
 * The read model's queries, on the views {@code customers} and {@code order_history} (the live version). Lists are
 * keyset-paged: one more row than the page is read, so {@code next} is null exactly on the last page. Each query is
 * one index range scan (the migration says which index serves which query).
 */
@Singleton
public class ReadModelQueries {

    private static final TypeReference<List<OrderItem>> ITEMS = new TypeReference<>() {
    };
    private static final String CUSTOMER_COLUMNS = "email, name, country, phone, time_zone, import_id, updated_at";
    private static final String ORDER_COLUMNS = "order_id, checked_out_at, shipping_country, items,"
            + " COALESCE(invoice_total, items_total), currency, invoice_number, delivery_status";

    private final ReadModel readModel;

    ReadModelQueries(ReadModel readModel) {
        this.readModel = readModel;
    }

    /**
     * Customers in email order after {@code after}; {@code country} (exact) and {@code q} (a prefix of the email or,
     * case-insensitively, of the name) narrow it when given.
     */
    public Page<Customer> customers(String country, String q, String after, int limit) {
        readModel.requireServing(ProjectionKind.CUSTOMERS.name());
        StringBuilder sql = new StringBuilder("SELECT " + CUSTOMER_COLUMNS + " FROM customers WHERE true");
        List<Object> args = new ArrayList<>();
        if (country != null) {
            sql.append(" AND country = ?");
            args.add(country);
        }
        if (q != null) {
            sql.append(" AND (email LIKE ? OR lower(name) LIKE ?)");
            String prefix = likePrefix(q.toLowerCase(java.util.Locale.ROOT));
            args.add(prefix);
            args.add(prefix);
        }
        if (after != null) {
            sql.append(" AND email > ?");
            args.add(after);
        }
        sql.append(" ORDER BY email LIMIT ?");
        args.add(limit + 1);
        List<Customer> rows = query(sql.toString(), args, ReadModelQueries::customer);
        return page(rows, limit, Customer::email);
    }

    public Optional<Customer> customer(String email) {
        readModel.requireServing(ProjectionKind.CUSTOMERS.name());
        return query("SELECT " + CUSTOMER_COLUMNS + " FROM customers WHERE email = ?", List.of(email),
                ReadModelQueries::customer).stream().findFirst();
    }

    /** A customer's orders, newest first, after the cursor {@code after} ({@link OrderCursor}). */
    public Page<OrderSummary> orders(String customerId, OrderCursor after, int limit) {
        readModel.requireServing(ProjectionKind.ORDER_HISTORY.name());
        StringBuilder sql = new StringBuilder("SELECT " + ORDER_COLUMNS + " FROM order_history WHERE customer_id = ?");
        List<Object> args = new ArrayList<>(List.of(customerId));
        if (after != null) {
            sql.append(" AND (checked_out_at, order_id) < (?, ?)");
            args.add(Timestamp.from(after.checkedOutAt()));
            args.add(after.orderId());
        }
        sql.append(" ORDER BY checked_out_at DESC, order_id DESC LIMIT ?");
        args.add(limit + 1);
        List<OrderSummary> rows = query(sql.toString(), args, ReadModelQueries::order);
        return page(rows, limit, o -> new OrderCursor(o.checkedOutAt(), o.orderId()).toString());
    }

    /** Invoiced orders of {@code currency} per UTC day, {@code from} to {@code to} inclusive. */
    public Revenue revenue(String currency, LocalDate from, LocalDate to) {
        readModel.requireServing(ProjectionKind.ORDER_HISTORY.name());
        String sql = "SELECT (checked_out_at AT TIME ZONE 'UTC')::date, count(*), sum(invoice_total) FROM order_history"
                + " WHERE invoice_number IS NOT NULL AND currency = ? AND checked_out_at >= ? AND checked_out_at < ?"
                + " GROUP BY 1 ORDER BY 1";
        List<Object> args = List.of(currency, Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()),
                Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        List<DayRevenue> days = query(sql, args,
                rs -> new DayRevenue(rs.getObject(1, LocalDate.class), rs.getLong(2), money(rs.getBigDecimal(3))));
        return new Revenue(currency, from, to, days);
    }

    /** {@code q} as a LIKE prefix pattern: its own {@code %}, {@code _} and {@code \} match literally. */
    static String likePrefix(String q) {
        return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursor) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), cursor.apply(items.get(limit - 1)));
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, List<Object> args, Row<T> row) {
        try (Connection c = readModel.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("read model query failed: " + e.getMessage(), e);
        }
    }

    private static Customer customer(ResultSet rs) throws SQLException {
        return new Customer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), instant(rs.getTimestamp(7)));
    }

    private static OrderSummary order(ResultSet rs) throws SQLException {
        String items = rs.getString(4);
        long invoice = rs.getLong(7);
        Long invoiceNumber = rs.wasNull() ? null : invoice;
        return new OrderSummary(rs.getString(1), instant(rs.getTimestamp(2)), rs.getString(3), items(items),
                money(rs.getBigDecimal(5)), rs.getString(6), invoiceNumber, rs.getString(8));
    }

    /** An amount as stored (scale 4) without the trailing zeros, but at least cents: 12.5000 -> 12.50. */
    static BigDecimal money(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal plain = amount.stripTrailingZeros();
        return plain.setScale(Math.max(2, plain.scale()));
    }

    private static List<OrderItem> items(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, ITEMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
