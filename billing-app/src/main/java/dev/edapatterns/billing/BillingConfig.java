package dev.edapatterns.billing;

import dev.edapatterns.billing.ledger.LedgerConfig;
import dev.edapatterns.billing.provider.ProviderConfig;
import dev.edapatterns.billing.renewals.RenewalsConfig;
import dev.edapatterns.billing.subscriptions.SubscriptionsConfig;
import io.smallrye.config.ConfigMapping;

/** Every {@code billing.*} setting in application.properties, one group per feature. */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {

    /** {@code billing.subscriptions.*}: what POST /subscriptions accepts beyond the fixed rules of its body. */
    SubscriptionsConfig subscriptions();

    /** {@code billing.renewals.*}: the scheduler and the charge dedupe. */
    RenewalsConfig renewals();

    /** {@code billing.provider.*}: which payment provider charges, and the simulated one's switches. */
    ProviderConfig provider();

    /** {@code billing.ledger.*}: the ledger consumer of billing.charges and its blocking retry. */
    LedgerConfig ledger();

    /** {@code billing.dlq.*}: the renewals' dead letters and their redrives. */
    dev.edapatterns.billing.dlq.DeadLettersConfig dlq();
}
