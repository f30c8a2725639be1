package dev.edapatterns.order.payments;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * The first payment of an order wins: it becomes the order's state and its purchase is emitted in the same transaction,
 * so an order has exactly one committed purchase however many payments race for it. A later command leaves the state
 * as it is; whoever sent it reads the stored payment to learn whether it was the same request (a retry) or another one.
 */
final class PaymentReducer implements Reducer<String, OrderPayment, PaymentCommand> {

    @Override
    public Outcome<OrderPayment> apply(String orderId, OrderPayment state, PaymentCommand command) {
        PurchaseCompleted purchase = command.purchase();
        if (purchase == null || !orderId.equals(purchase.orderId())) {
            throw new IllegalArgumentException("not a payment of order " + orderId);
        }
        if (state != null) {
            return Outcome.of(state);
        }
        OrderPayment paid = new OrderPayment(orderId, purchase.customerId(), command.principal(), command.idempotencyKey(),
                command.requestHash(), command.commandId(), purchase.total(), purchase.currency(), purchase.paidAt());
        return Outcome.of(paid, new Emit<>(Topics.ORDERS_PURCHASE_COMPLETED, orderId, purchase));
    }
}
