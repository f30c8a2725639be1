package dev.edapatterns.order.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.InventoryCommand.Type;
import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.eventkit.store.Outcome;

@Tag("unit")
class InventoryReducerTest {

    private final InventoryReducer reducer = new InventoryReducer();

    private Stock apply(Stock state, InventoryCommand command) {
        Outcome<Stock> out = reducer.apply("sku-1", state, command);
        assertEquals(List.of(), out.emits(), "the inventory emits nothing");
        return out.state();
    }

    private static InventoryCommand set(String commandId, long qty) {
        return new InventoryCommand(commandId, "sku-1", Type.SET_STOCK, qty, null);
    }

    private static InventoryCommand ordered(String orderId, long qty) {
        return new InventoryCommand(orderId, "sku-1", Type.ORDERED, qty, orderId);
    }

    @Test
    void setStockSetsTheStockAndRemembersItsCommand() {
        assertEquals(new Stock("sku-1", 10, 0, 0, "put-1"), apply(null, set("put-1", 10)));
    }

    @Test
    void everyOrderTakesItsQuantityOffAndIsCounted() {
        Stock stock = apply(apply(set("put-1", 10)), ordered("o-1", 3));
        assertEquals(new Stock("sku-1", 7, 3, 1, "put-1"), stock);
        assertEquals(new Stock("sku-1", 5, 5, 2, "put-1"), apply(stock, ordered("o-2", 2)));
    }

    private Stock apply(InventoryCommand first) {
        return apply(null, first);
    }

    @Test
    void anOrderIsNeverRefusedTheStockGoesNegative() {
        assertEquals(new Stock("sku-1", -4, 4, 1, null), apply(null, ordered("o-1", 4)), "no stock set yet");
        Stock backOrdered = apply(apply(set("put-1", 3)), ordered("o-1", 4));
        assertEquals(new Stock("sku-1", -1, 4, 1, "put-1"), backOrdered);
        assertEquals(new Stock("sku-1", -1, 4, 2, "put-1"), apply(backOrdered, ordered("o-2", 0)), "a zero quantity still counts");
    }

    @Test
    void aNewStockReplacesTheStockButKeepsTheOrderCounts() {
        Stock stock = apply(apply(set("put-1", 10)), ordered("o-1", 3));
        assertEquals(new Stock("sku-1", 50, 3, 1, "put-2"), apply(stock, set("put-2", 50)));
        assertEquals(new Stock("sku-1", 0, 3, 1, "put-3"), apply(stock, set("put-3", 0)));
    }

    @Test
    void commandsForAnotherSkuWithoutTypeOrWithANegativeQuantityAreRejected() {
        for (InventoryCommand bad : List.of(new InventoryCommand("c", "sku-2", Type.SET_STOCK, 1, null),
                new InventoryCommand("c", "sku-1", null, 1, null), set("c", -1), ordered("o-1", -1))) {
            assertThrows(IllegalArgumentException.class, () -> reducer.apply("sku-1", null, bad), bad.toString());
        }
    }
}
