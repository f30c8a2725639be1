package dev.edapatterns.order.deliveries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * A checked-out order schedules its delivery. The atomic store applies each orderId once (an order checked out twice,
 * e.g. its purchase published twice by some other producer, is skipped here), which makes this the one place where
 * the views deduplicate orders: the first time an order is scheduled, the same transaction emits its inventory
 * commands (one per sku) and its invoice command.
 * The inventory and the invoice counters then count every command they get and keep no per-order ids.
 */
final class DeliveryReducer implements Reducer<String, Delivery, CheckoutCompleted> {

    @Override
    public Outcome<Delivery> apply(String orderId, Delivery state, CheckoutCompleted order) {
        if (!orderId.equals(order.orderId())) {
            throw new IllegalArgumentException("key " + orderId + " is not the orderId " + order.orderId());
        }
        if (state != null) {
            return Outcome.of(state); // scheduled already; never reached while the command id is the orderId
        }
        Delivery delivery = new Delivery(order.orderId(), order.customerId(), order.shippingCountry(), order.items(),
                Delivery.Status.SCHEDULED, order.checkedOutAt());
        return new Outcome<>(delivery, viewCommands(order));
    }

    static List<Emit<?, ?>> viewCommands(CheckoutCompleted order) {
        Map<String, Long> perSku = new LinkedHashMap<>();
        order.items().forEach(item -> perSku.merge(item.sku(), (long) item.qty(), Long::sum));
        List<Emit<?, ?>> emits = new ArrayList<>(perSku.size() + 1);
        perSku.forEach((sku, qty) -> emits.add(new Emit<>(Topics.ORDERS_INVENTORY_COMMANDS, sku,
                new InventoryCommand(order.orderId(), sku, InventoryCommand.Type.ORDERED, qty, order.orderId()))));
        InvoiceCommand invoice = InvoiceCommand.of(order);
        emits.add(new Emit<>(Topics.ORDERS_INVOICES_COMMANDS, InvoiceCommand.counterKey(invoice.counter()), invoice));
        return emits;
    }
}
