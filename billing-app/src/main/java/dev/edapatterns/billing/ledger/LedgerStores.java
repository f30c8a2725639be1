package dev.edapatterns.billing.ledger;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/** The ledger accounts as read by the API and by the posting step (opened through {@link Stores}: readiness). */
@Singleton
public class LedgerStores {

    @Produces
    @Singleton
    @Startup
    CompactedStore<String, LedgerAccount> accounts(Stores stores) {
        return stores.compacted(Topics.BILLING_LEDGER);
    }
}
