package dev.edapatterns.order.deliveries;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.views.ViewsConfig;
import io.quarkus.runtime.Startup;

/**
 * The deliveries view: an event-kit {@link AtomicStore} whose commands are the committed
 * {@code orders.checkout-completed} records themselves (group {@code atomic-deliveries}, read_committed; command id
 * = orderId, so a redelivered order is skipped) and whose state is {@code orders.deliveries.store}.
 */
@Startup
@Singleton
public class Deliveries {

    private final Stores stores;
    private final ViewsConfig config;
    private AtomicStore<String, Delivery, CheckoutCompleted> store;

    Deliveries(Stores stores, OrderConfig config) {
        this.stores = stores;
        this.config = config.views();
    }

    @PostConstruct
    void start() {
        store = stores.atomic(AtomicStore.builder("deliveries", Topics.ORDERS_CHECKOUT_COMPLETED,
                Topics.ORDERS_DELIVERIES_STORE, new DeliveryReducer(), CheckoutCompleted::orderId)
                .writer(config.enabled()));
    }

    public AtomicStore<String, Delivery, CheckoutCompleted> store() {
        return store;
    }
}
