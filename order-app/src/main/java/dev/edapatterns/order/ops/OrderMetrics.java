package dev.edapatterns.order.ops;

import java.util.function.ToDoubleFunction;

import jakarta.inject.Singleton;

import dev.edapatterns.order.checkout.Checkout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * Checkout on {@code /q/metrics}, read from its own counters at scrape time:
 * {@code order_checkout_transactions_total{outcome=committed|aborted}} (one transaction per polled batch; an aborted
 * one is redelivered) and {@code order_checkout_purchases_total{outcome=checked_out|dead_lettered}}. The views' atomic
 * stores report their transactions as {@code eventkit_atomic_transactions_total{store=deliveries|inventory|invoices}}.
 */
@Startup
@Singleton
public class OrderMetrics {

    // meters hold their targets weakly: keep it here
    private final Checkout checkout;

    OrderMetrics(MeterRegistry registry, Checkout checkout) {
        this.checkout = checkout;
        counter(registry, "order.checkout.transactions", "Checkout transactions", "committed", c -> c.stats().batches());
        counter(registry, "order.checkout.transactions", "Checkout transactions", "aborted", c -> c.stats().aborted());
        counter(registry, "order.checkout.purchases", "Purchases checked out or sent to the DLQ", "checked_out",
                c -> c.stats().checkedOut());
        counter(registry, "order.checkout.purchases", "Purchases checked out or sent to the DLQ", "dead_lettered",
                c -> c.stats().deadLettered());
    }

    private void counter(MeterRegistry registry, String name, String description, String outcome,
            ToDoubleFunction<Checkout> value) {
        FunctionCounter.builder(name, checkout, value).description(description).tag("outcome", outcome).register(registry);
    }
}
