package dev.edapatterns.order.payments;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.PaymentIdempotency;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/** Every answered payment by Idempotency-Key: compacted {@code orders.payments.idempotency} in memory. */
@Singleton
public class PaymentStoreProducer {

    @Produces
    @Singleton
    @Startup
    CompactedStore<String, PaymentIdempotency> idempotency(Stores stores) {
        return stores.compacted(Topics.ORDERS_PAYMENTS_IDEMPOTENCY);
    }
}
