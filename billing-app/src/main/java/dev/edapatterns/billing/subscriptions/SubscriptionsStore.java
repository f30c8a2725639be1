package dev.edapatterns.billing.subscriptions;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/** Every subscription in memory, from compacted {@code billing.subscriptions}: the API and the scheduler read it. */
@Singleton
public class SubscriptionsStore {

    @Produces
    @Singleton
    @Startup
    CompactedStore<String, Subscription> subscriptions(Stores stores) {
        return stores.compacted(Topics.BILLING_SUBSCRIPTIONS);
    }
}
