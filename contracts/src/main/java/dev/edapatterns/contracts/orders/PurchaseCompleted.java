package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * "Order purchase completed" on {@code orders.purchase-completed} (key orderId): payments -> checkout, emitted once per
 * orderId in the payments store's transaction.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PurchaseCompleted(String orderId, String customerId, List<OrderItem> items, String currency,
        String shippingCountry, BigDecimal total, Instant paidAt) {
}
