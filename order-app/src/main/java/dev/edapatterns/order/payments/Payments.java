package dev.edapatterns.order.payments;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.eventkit.EventKitConfig;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * The payments store: an event-kit {@link AtomicStore} over {@code orders.payments.commands} ->
 * {@code orders.payments.store}, key orderId (group {@code atomic-payments}, transactional.id
 * {@code order-app-payments-<instance-id>}). Its writer is the single writer of each order: it decides which payment
 * is THE payment of an order ({@link PaymentReducer}). From the stored payments it also knows which order each user's
 * Idempotency-Key paid, so a key reused for another order is recognised.
 */
@Startup
@Singleton
public class Payments {

    /** An Idempotency-Key as the user who sent it: the same key from two users is two keys. */
    record ScopedKey(String principal, String key) {
    }

    private final Stores stores;
    private final String instance;
    /** Numbered ids per process start: an order's state keeps the ids it applied as compact ranges (AppliedIds). */
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<ScopedKey, String> orderPaidWith = new ConcurrentHashMap<>();
    private AtomicStore<String, OrderPayment, PaymentCommand> store;

    Payments(Stores stores, EventKitConfig config) {
        this.stores = stores;
        this.instance = config.instanceId();
    }

    @PostConstruct
    void start() {
        store = stores.atomic(AtomicStore.builder("payments", Topics.ORDERS_PAYMENTS_COMMANDS, Topics.ORDERS_PAYMENTS_STORE,
                new PaymentReducer(), PaymentCommand::commandId));
        // the view is already loading: what it read before the listener came is in the snapshot taken after it
        store.view().addListener((orderId, old, now, loading) -> {
            if (now != null) {
                remember(now.state());
            }
        });
        store.view().snapshot().values().forEach(stored -> remember(stored.state()));
    }

    public AtomicStore<String, OrderPayment, PaymentCommand> store() {
        return store;
    }

    /** Whether every payment committed before start is known here (before that an absent one may just be unread). */
    public boolean isLoaded() {
        return store.view().isLoaded();
    }

    public Optional<OrderPayment> get(String orderId) {
        return store.get(orderId);
    }

    /** The order that this user's key paid, if any. */
    Optional<String> orderPaidWith(ScopedKey key) {
        return Optional.ofNullable(orderPaidWith.get(key));
    }

    /**
     * Indexes a stored payment by its key. A payment is never replaced, so an entry never changes; a key that paid two
     * orders (sent for both at once, see {@link PaymentsService}) keeps the first one seen.
     */
    void remember(OrderPayment paid) {
        orderPaidWith.putIfAbsent(new ScopedKey(paid.principal(), paid.idempotencyKey()), paid.orderId());
    }

    String newCommandId() {
        return instance + "-" + seq.incrementAndGet();
    }
}
