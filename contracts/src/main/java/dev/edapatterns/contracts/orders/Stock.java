package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The stock of one sku (inside a StoredState on compacted {@code orders.inventory.store}, key sku): {@code stock}
 * is the last set stock minus what was ordered since (it may go negative: a paid order is never refused here, it is
 * back-ordered); {@code ordered} and {@code orders} count every order once.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Stock(String sku, long stock, long ordered, long orders) {
}
