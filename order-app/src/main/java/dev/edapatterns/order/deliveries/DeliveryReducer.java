package dev.edapatterns.order.deliveries;

import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/** A checked-out order schedules its delivery; the atomic store applies each orderId once. */
final class DeliveryReducer implements Reducer<String, Delivery, CheckoutCompleted> {

    @Override
    public Outcome<Delivery> apply(String orderId, Delivery state, CheckoutCompleted order) {
        if (!orderId.equals(order.orderId())) {
            throw new IllegalArgumentException("key " + orderId + " is not the orderId " + order.orderId());
        }
        return Outcome.of(new Delivery(order.orderId(), order.customerId(), order.shippingCountry(), order.items(),
                Delivery.Status.SCHEDULED, order.checkedOutAt()));
    }
}
