package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Order checkout completed" on {@code orders.checkout-completed} (key orderId), written in a transaction with the
 * consumed offsets: checkout -> delivery, inventory, invoices (read_committed).
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckoutCompleted(String orderId, String customerId, List<OrderItem> items, String currency,
        String shippingCountry, BigDecimal total, Instant checkedOutAt) {
}
