package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Invoice this order", written by the deliveries view on {@code orders.invoices.commands} in the transaction that
 * schedules the order's delivery, so once per order however often it was checked out; key {@link #counterKey(int)}:
 * one of {@link #COUNTERS} invoice-number counters, chosen from the orderId. {@code commandId} = orderId (the
 * counters keep no applied ids: their state stays a few bytes however many orders they number).
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
