package dev.edapatterns.billing.provider;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import io.smallrye.common.annotation.Identifier;

/** The provider {@code billing.provider.active} names (an {@code @Identifier}); a real one plugs in as another bean. */
@Singleton
public class ActivePaymentProvider {

    private final PaymentProvider provider;

    ActivePaymentProvider(@Any Instance<PaymentProvider> providers, BillingConfig config) {
        String name = config.provider().active();
        Instance<PaymentProvider> selected = providers.select(Identifier.Literal.of(name));
        if (!selected.isResolvable()) {
            throw new IllegalStateException("billing.provider.active=" + name + ": no PaymentProvider bean with @Identifier(\"" + name
                    + "\")");
        }
        this.provider = selected.get();
    }

    public PaymentProvider get() {
        return provider;
    }
}
