package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A command to the inventory (atomic store) on {@code orders.inventory.commands}, key sku. {@code ORDERED} comes from
 * the deliveries view, in the transaction that schedules the order's delivery — once per order, however often the
 * order was checked out (one per sku of the order, {@code commandId} = orderId); {@code SET_STOCK} from
 * {@code PUT /inventory/{sku}} ({@code commandId} unique per request). The inventory keeps no applied ids.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InventoryCommand(String commandId, String sku, Type type, long qty, String orderId) {

    public enum Type { SET_STOCK, ORDERED }
}
