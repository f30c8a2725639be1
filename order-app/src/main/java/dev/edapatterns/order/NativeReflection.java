package dev.edapatterns.order;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: this app's own Jackson-mapped types (REST bodies, reports), registered for reflection. The contracts
 * and event-kit types are in event-kit's {@code SharedReflection}. {@code NativeReflectionTest} fails when a
 * public record or enum of the app is missing here.
 */
@RegisterForReflection(targets = {
        dev.edapatterns.order.checkout.Checkout.Stats.class,
        dev.edapatterns.order.countries.CountriesSeed.Outcome.class,
        dev.edapatterns.order.countries.CountriesSeed.Result.class,
        dev.edapatterns.order.countries.CountryRequest.class,
        dev.edapatterns.order.inventory.StockRequest.class,
        dev.edapatterns.order.payments.PaymentAccepted.class,
        dev.edapatterns.order.payments.PaymentRequest.class,
        dev.edapatterns.order.payments.PaymentRequest.Item.class,
        dev.edapatterns.order.payments.PaymentsService.Outcome.class,
        dev.edapatterns.order.readmodel.Answers.Customer.class,
        dev.edapatterns.order.readmodel.Answers.DayRevenue.class,
        dev.edapatterns.order.readmodel.Answers.OrderSummary.class,
        dev.edapatterns.order.readmodel.Answers.Page.class,
        dev.edapatterns.order.readmodel.Answers.Revenue.class,
        dev.edapatterns.order.readmodel.ReadModel.RebuildStarted.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
