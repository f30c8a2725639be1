package dev.edapatterns.order.deliveries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;

@Tag("unit")
class DeliveryReducerTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");
    private final DeliveryReducer reducer = new DeliveryReducer();

    private static CheckoutCompleted order(String orderId, List<OrderItem> items) {
        return new CheckoutCompleted(orderId, "cust-1", items, "EUR", "FR", new BigDecimal("42.00"), AT);
    }

    private static OrderItem item(String sku, int qty) {
        return new OrderItem(sku, qty, new BigDecimal("2.00"));
    }

    @Test
    void aNewOrderIsScheduledAndOrdersItsSkusAndItsInvoiceInTheSameOutcome() {
        List<OrderItem> items = List.of(item("b", 2), item("a", 1), item("b", 3));
        CheckoutCompleted order = order("o-1", items);
        Outcome<Delivery> out = reducer.apply("o-1", null, order);

        assertEquals(new Delivery("o-1", "cust-1", "FR", items, Delivery.Status.SCHEDULED, AT), out.state());
        InvoiceCommand invoice = new InvoiceCommand("o-1", InvoiceCommand.counterOf("o-1"), "o-1", "cust-1", "EUR",
                new BigDecimal("42.00"), AT);
        assertEquals(List.of(
                new Emit<>(Topics.ORDERS_INVENTORY_COMMANDS, "b", new InventoryCommand("o-1", "b", InventoryCommand.Type.ORDERED, 5, "o-1")),
                new Emit<>(Topics.ORDERS_INVENTORY_COMMANDS, "a", new InventoryCommand("o-1", "a", InventoryCommand.Type.ORDERED, 1, "o-1")),
                new Emit<>(Topics.ORDERS_INVOICES_COMMANDS, InvoiceCommand.counterKey(invoice.counter()), invoice)), out.emits(),
                "one command per sku (quantities summed, first-seen order), then the invoice");
    }

    @Test
    void anOrderScheduledBeforeEmitsNothingAgain() {
        Delivery scheduled = reducer.apply("o-1", null, order("o-1", List.of(item("a", 1)))).state();
        Outcome<Delivery> again = reducer.apply("o-1", scheduled, order("o-1", List.of(item("a", 9))));
        assertSame(scheduled, again.state());
        assertEquals(List.of(), again.emits());
    }

    @Test
    void theKeyMustBeTheOrderId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reducer.apply("o-2", null, order("o-1", List.of(item("a", 1)))));
        assertEquals("key o-2 is not the orderId o-1", e.getMessage());
    }

    @Test
    void theInvoiceCounterDependsOnTheOrderIdOnly() {
        for (String orderId : List.of("o-1", "o-2", "zz", "")) {
            Emit<?, ?> invoice = DeliveryReducer.viewCommands(order(orderId, List.of(item("a", 1)))).get(1);
            int counter = Math.floorMod(orderId.hashCode(), InvoiceCommand.COUNTERS);
            assertEquals("invoice-counter-" + counter, invoice.key(), orderId);
            assertEquals(counter, ((InvoiceCommand) invoice.value()).counter(), orderId);
        }
    }
}
