package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The stock of one sku (an atomic store's state on compacted {@code orders.inventory.store}, key sku): {@code stock}
 * is the last set stock minus what was ordered since (it may go negative: a paid order is never refused here, it is
 * back-ordered); {@code ordered} and {@code orders} count every order once. {@code lastSetCommandId} is the id of
 * the SET_STOCK that set {@code stock} last (so {@code PUT /inventory/{sku}} can tell when its own write shows).
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Stock(String sku, long stock, long ordered, long orders,
        @JsonInclude(JsonInclude.Include.NON_NULL) String lastSetCommandId) {
}
