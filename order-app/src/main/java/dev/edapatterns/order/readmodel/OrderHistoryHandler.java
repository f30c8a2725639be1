package dev.edapatterns.order.readmodel;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.projection.ProjectionHandler;
import dev.edapatterns.eventkit.projection.UnreadableRecord;
import dev.edapatterns.eventkit.store.StoredState;

/**
 * {@code orders.deliveries.store} + {@code orders.invoices} -> {@code order_history_v<n>}. Both topics are compacted
 * and keep every order's latest state forever, so a rebuild from offset 0 gives the live table again
 * ({@code orders.checkout-completed} deletes after the broker's retention). A delivery brings the customer, items,
 * their total and the delivery status; an invoice brings number, currency and the invoiced total. Either may come
 * first: each upsert fills only its own columns. Both stores write an order once and never delete it, so a tombstone
 * (none is ever written) changes nothing.
 */
final class OrderHistoryHandler implements ProjectionHandler<OrderHistoryHandler.Change> {

    sealed interface Change permits Delivered, Invoiced {
        String orderId();
    }

    record Delivered(Delivery delivery, BigDecimal itemsTotal, String itemsJson) implements Change {
        public String orderId() {
            return delivery.orderId();
        }
    }

    record Invoiced(Invoice invoice) implements Change {
        public String orderId() {
            return invoice.orderId();
        }
    }

    private static final JavaType DELIVERY_STATE = StoredState.topic(Topics.ORDERS_DELIVERIES_STORE).valueType();

    private final String delivered;
    private final String invoiced;

    OrderHistoryHandler(String table) {
        this.delivered = "INSERT INTO " + table + " (order_id, customer_id, checked_out_at, shipping_country, items,"
                + " items_total, delivery_status) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
                + " customer_id = EXCLUDED.customer_id, checked_out_at = EXCLUDED.checked_out_at,"
                + " shipping_country = EXCLUDED.shipping_country, items = EXCLUDED.items,"
                + " items_total = EXCLUDED.items_total, delivery_status = EXCLUDED.delivery_status";
        this.invoiced = "INSERT INTO " + table + " (order_id, customer_id, checked_out_at, invoice_number, currency,"
                + " invoice_total) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO UPDATE SET"
                + " invoice_number = EXCLUDED.invoice_number, currency = EXCLUDED.currency,"
                + " invoice_total = EXCLUDED.invoice_total";
    }

    /** The topics this handler reads, for the projection. */
    static List<String> topics() {
        return List.of(Topics.ORDERS_DELIVERIES_STORE.name(), Topics.ORDERS_INVOICES.name());
    }

    @Override
    public Change read(ConsumerRecord<String, byte[]> record) throws UnreadableRecord {
        if (record.value() == null) {
            return null;
        }
        try {
            if (record.topic().equals(Topics.ORDERS_INVOICES.name())) {
                Invoice invoice = Json.mapper().readValue(record.value(), Invoice.class);
                require(invoice.orderId() != null && invoice.customerId() != null && invoice.checkedOutAt() != null,
                        "an invoice without orderId, customerId or checkedOutAt");
                return new Invoiced(invoice);
            }
            StoredState<Delivery> state = Json.mapper().readValue(record.value(), DELIVERY_STATE);
            Delivery d = state.state();
            require(d != null && d.orderId() != null && d.customerId() != null && d.checkedOutAt() != null,
                    "a delivery without orderId, customerId or checkedOutAt");
            List<OrderItem> items = d.items() == null ? List.of() : d.items();
            BigDecimal total = BigDecimal.ZERO;
            for (OrderItem item : items) {
                require(item != null && item.unitPrice() != null, "an order line without a unit price");
                total = total.add(item.unitPrice().multiply(BigDecimal.valueOf(item.qty())));
            }
            return new Delivered(d, total, Json.mapper().writeValueAsString(items));
        } catch (JsonProcessingException e) {
            throw new UnreadableRecord("not a " + (record.topic().equals(Topics.ORDERS_INVOICES.name()) ? "Invoice"
                    : "delivery state") + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableRecord("unreadable: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String what) throws UnreadableRecord {
        if (!ok) {
            throw new UnreadableRecord(what);
        }
    }

    @Override
    public void apply(Connection c, List<Change> changes) throws SQLException {
        // the last of each kind per order: an order's row is written once per kind per batch
        Map<String, Change> last = new LinkedHashMap<>();
        changes.forEach(ch -> last.put((ch instanceof Invoiced ? "i:" : "d:") + ch.orderId(), ch));
        try (PreparedStatement d = c.prepareStatement(delivered); PreparedStatement i = c.prepareStatement(invoiced)) {
            int deliveries = 0;
            int invoices = 0;
            for (Change ch : last.values()) {
                if (ch instanceof Delivered del) {
                    Delivery x = del.delivery();
                    d.setString(1, x.orderId());
                    d.setString(2, x.customerId());
                    d.setTimestamp(3, Timestamp.from(x.checkedOutAt()));
                    d.setString(4, x.shippingCountry());
                    d.setString(5, del.itemsJson());
                    d.setBigDecimal(6, del.itemsTotal());
                    d.setString(7, x.status() == null ? null : x.status().name());
                    d.addBatch();
                    deliveries++;
                } else if (ch instanceof Invoiced inv) {
                    Invoice x = inv.invoice();
                    i.setString(1, x.orderId());
                    i.setString(2, x.customerId());
                    i.setTimestamp(3, Timestamp.from(x.checkedOutAt()));
                    i.setLong(4, x.number());
                    // payments take a currency in any case; the report asks in upper case
                    i.setString(5, x.currency() == null ? null : x.currency().toUpperCase(java.util.Locale.ROOT));
                    i.setBigDecimal(6, x.total());
                    i.addBatch();
                    invoices++;
                }
            }
            if (deliveries > 0) {
                d.executeBatch();
            }
            if (invoices > 0) {
                i.executeBatch();
            }
        }
    }
}
