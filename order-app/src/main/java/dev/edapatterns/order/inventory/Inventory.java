package dev.edapatterns.order.inventory;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.views.ViewsConfig;
import io.quarkus.runtime.Startup;

/**
 * The inventory view: an event-kit {@link AtomicStore} over {@code orders.inventory.commands} (key sku; ORDERED
 * commands come from the deliveries view's transactions, once per order, SET_STOCK from {@code PUT /inventory/{sku}})
 * -> {@code orders.inventory.store}. Not deduplicated by command id: a sku sees every order, and keeping their ids
 * would grow its state with each one.
 */
@Startup
@Singleton
public class Inventory {

    private final Stores stores;
    private final ViewsConfig config;
    /** commandId -> completed once the view shows the command applied (read-your-writes of PUT). */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private AtomicStore<String, Stock, InventoryCommand> store;

    private record Pending(String sku, CompletableFuture<Stock> applied) {
    }

    Inventory(Stores stores, OrderConfig config) {
        this.stores = stores;
        this.config = config.views();
    }

    @PostConstruct
    void start() {
        store = stores.atomic(AtomicStore.builder("inventory", Topics.ORDERS_INVENTORY_COMMANDS,
                Topics.ORDERS_INVENTORY_STORE, new InventoryReducer(), AtomicStore.<InventoryCommand>notDeduplicated())
                .writer(config.enabled()));
        store.view().addListener((sku, old, now, loading) -> {
            if (now != null) {
                pending.forEach((id, p) -> {
                    if (p.sku().equals(sku) && setBy(now, id)) {
                        p.applied().complete(now.state());
                    }
                });
            }
        });
    }

    public AtomicStore<String, Stock, InventoryCommand> store() {
        return store;
    }

    public Optional<Stock> get(String sku) {
        return store.get(sku);
    }

    /**
     * Sends SET_STOCK (idempotent producer, acks=all); the future completes with the stock once this process's view
     * shows it applied.
     */
    public CompletableFuture<Stock> setStock(String sku, long stock) {
        String id = "set-stock:" + UUID.randomUUID();
        CompletableFuture<Stock> applied = new CompletableFuture<>();
        pending.put(id, new Pending(sku, applied));
        applied.whenComplete((s, e) -> pending.remove(id));
        store.send(sku, new InventoryCommand(id, sku, InventoryCommand.Type.SET_STOCK, stock, null))
                .whenComplete((md, e) -> {
                    if (e != null) {
                        applied.completeExceptionally(e);
                    } else {
                        // applied before the listener saw the id (fast path / race with the send's callback)
                        store.getStored(sku).filter(s -> setBy(s, id)).map(StoredState::state)
                                .ifPresent(applied::complete);
                    }
                });
        return applied;
    }

    /** Whether the stock was last set by command {@code id} (a later PUT replaces it: that one answers then). */
    private static boolean setBy(StoredState<Stock> stored, String id) {
        return id.equals(stored.state().lastSetCommandId());
    }
}
