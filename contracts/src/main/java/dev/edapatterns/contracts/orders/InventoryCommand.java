package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the inventory (atomic store) on {@code orders.inventory.commands}, key sku. {@code ORDERED} comes from
 * checkout, in the transaction of the order's checkout (one per sku of the order, {@code commandId} = orderId, so an
 * order is counted once per sku); {@code SET_STOCK} from {@code PUT /inventory/{sku}} ({@code commandId} unique per
 * request).
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InventoryCommand(String commandId, String sku, Type type, long qty, String orderId) {

    public enum Type { SET_STOCK, ORDERED }
}
