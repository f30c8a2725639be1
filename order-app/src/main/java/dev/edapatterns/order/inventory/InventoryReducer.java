package dev.edapatterns.order.inventory;

import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * SET_STOCK sets the stock; ORDERED takes an order's quantity of the sku off it. Each command counts: the deliveries
 * view sends an order's ORDERED commands once (it applies an orderId once), and SET_STOCK sets a value. A paid order
 * is never refused: the stock may go negative (back-ordered).
 */
final class InventoryReducer implements Reducer<String, Stock, InventoryCommand> {

    @Override
    public Outcome<Stock> apply(String sku, Stock state, InventoryCommand command) {
        if (!sku.equals(command.sku()) || command.type() == null || command.qty() < 0) {
            throw new IllegalArgumentException("not a command for sku " + sku + ": " + command);
        }
        Stock current = state == null ? new Stock(sku, 0, 0, 0, null) : state;
        return Outcome.of(switch (command.type()) {
            case SET_STOCK -> new Stock(sku, command.qty(), current.ordered(), current.orders(), command.commandId());
            case ORDERED -> new Stock(sku, current.stock() - command.qty(), current.ordered() + command.qty(),
                    current.orders() + 1, current.lastSetCommandId());
        });
    }
}
