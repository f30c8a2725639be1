package dev.edapatterns.order.invoices;

import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.views.ViewsConfig;
import io.quarkus.runtime.Startup;

/**
 * The invoices view: invoice-number counters as an event-kit {@link AtomicStore} over
 * {@code orders.invoices.commands} -> {@code orders.invoices.counters}, emitting each invoice to compacted
 * {@code orders.invoices} (read here by a {@link CompactedStore}, read_committed). The commands come once per order
 * from the deliveries view, so the counters keep no applied ids (their state stays a few bytes).
 */
@Startup
@Singleton
public class Invoices {

    private final Stores stores;
    private final ViewsConfig config;
    private AtomicStore<String, InvoiceCounter, InvoiceCommand> counters;
    private CompactedStore<String, Invoice> invoices;

    Invoices(Stores stores, OrderConfig config) {
        this.stores = stores;
        this.config = config.views();
    }

    @PostConstruct
    void start() {
        invoices = stores.compacted(Topics.ORDERS_INVOICES);
        counters = stores.atomic(AtomicStore.builder("invoices", Topics.ORDERS_INVOICES_COMMANDS,
                Topics.ORDERS_INVOICES_COUNTERS, new InvoiceReducer(), AtomicStore.<InvoiceCommand>notDeduplicated())
                .writer(config.enabled()));
    }

    public AtomicStore<String, InvoiceCounter, InvoiceCommand> counters() {
        return counters;
    }

    public CompactedStore<String, Invoice> invoices() {
        return invoices;
    }

    public Optional<Invoice> get(String orderId) {
        return invoices.get(orderId);
    }
}
