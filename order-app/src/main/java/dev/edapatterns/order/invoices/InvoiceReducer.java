package dev.edapatterns.order.invoices;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * One invoice-number counter: the next number goes to the order and the invoice is emitted in the same transaction
 * as the counter's new state. An order's command arrives once (the deliveries view sends it when it first schedules
 * the order), and a number is never handed out twice because the counter only moves forward in committed state.
 */
final class InvoiceReducer implements Reducer<String, InvoiceCounter, InvoiceCommand> {

    @Override
    public Outcome<InvoiceCounter> apply(String key, InvoiceCounter state, InvoiceCommand command) {
        if (!InvoiceCommand.counterKey(command.counter()).equals(key) || command.counter() < 0
                || command.counter() >= InvoiceCommand.COUNTERS || command.orderId() == null) {
            throw new IllegalArgumentException("not a command for counter " + key + ": " + command);
        }
        InvoiceCounter current = state == null ? new InvoiceCounter(command.counter(), 0, 0) : state;
        long number = InvoiceCounter.number(command.counter(), current.issued());
        Invoice invoice = new Invoice(number, command.orderId(), command.customerId(), command.currency(),
                command.total(), command.checkedOutAt());
        return Outcome.of(new InvoiceCounter(command.counter(), current.issued() + 1, number),
                new Emit<>(Topics.ORDERS_INVOICES, command.orderId(), invoice));
    }
}
