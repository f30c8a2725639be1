package dev.edapatterns.contracts.orders;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The delivery of one checked-out order (an atomic store's state on compacted {@code orders.deliveries.store}, key
 * orderId): scheduled once per orderId by the deliveries view (an atomic store over {@code orders.checkout-completed}).
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Delivery(String orderId, String customerId, String shippingCountry, List<OrderItem> items, Status status,
        Instant checkedOutAt) {

    public enum Status { SCHEDULED }
}
