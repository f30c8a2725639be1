package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Invoice this order", written by checkout in the order's checkout transaction on {@code orders.invoices.commands},
 * key {@link #counterKey(String)}: one of {@link #COUNTERS} invoice-number counters, chosen from the orderId (so a
 * redelivered order meets the counter that already counted it). {@code commandId} = orderId.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceCommand(String commandId, int counter, String orderId, String customerId, String currency,
        BigDecimal total, Instant checkedOutAt) {

    /** Number of counters; counter c hands out c + 1, c + 1 + COUNTERS, c + 1 + 2 * COUNTERS, ... (never shared). */
    public static final int COUNTERS = 6;

    public static int counterOf(String orderId) {
        return Math.floorMod(orderId.hashCode(), COUNTERS);
    }

    public static String counterKey(int counter) {
        return "invoice-counter-" + counter;
    }

    public static InvoiceCommand of(CheckoutCompleted order) {
        return new InvoiceCommand(order.orderId(), counterOf(order.orderId()), order.orderId(), order.customerId(),
                order.currency(), order.total(), order.checkedOutAt());
    }
}
