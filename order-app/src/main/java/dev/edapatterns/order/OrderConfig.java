package dev.edapatterns.order;

import dev.edapatterns.order.checkout.CheckoutConfig;
import dev.edapatterns.order.countries.CountriesConfig;
import dev.edapatterns.order.payments.PaymentsConfig;
import dev.edapatterns.order.readmodel.ReadModelConfig;
import dev.edapatterns.order.views.ViewsConfig;
import io.smallrye.config.ConfigMapping;

/** Every {@code order.*} setting in application.properties, one group per feature. */
@ConfigMapping(prefix = "order")
public interface OrderConfig {

    /** {@code order.countries.*}: writes to reference.countries. */
    CountriesConfig countries();

    /** {@code order.payments.*}: POST /orders/{orderId}/payments. */
    PaymentsConfig payments();

    /** {@code order.checkout.*}: the checkout pipeline. */
    CheckoutConfig checkout();

    /** {@code order.views.*}: deliveries, inventory and invoices. */
    ViewsConfig views();

    /** {@code order.read-model.*}: projections into PostgreSQL and the queries on them. */
    ReadModelConfig readModel();
}
