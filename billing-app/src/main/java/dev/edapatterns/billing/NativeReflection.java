package dev.edapatterns.billing;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: this app's own Jackson-mapped types (REST bodies, reports), registered for reflection. The contracts
 * and event-kit types are in event-kit's {@code SharedReflection}. {@code NativeReflectionTest} fails when a
 * public record or enum of the app is missing here.
 */
@RegisterForReflection(targets = {
        dev.edapatterns.billing.admin.BlockedRecordsResource.SkipRequest.class,
        dev.edapatterns.billing.admin.DashboardSummary.Summary.class,
        dev.edapatterns.billing.ledger.LedgerConsumer.RetryResult.class,
        dev.edapatterns.billing.dlq.DeadLettersResource.DeadLetterView.class,
        dev.edapatterns.billing.provider.ChargeReceipt.class,
        dev.edapatterns.billing.provider.ChargeRequest.class,
        dev.edapatterns.billing.provider.ProviderCall.class,
        dev.edapatterns.billing.provider.ProviderCall.Outcome.class,
        dev.edapatterns.billing.provider.ProviderSwitches.class,
        dev.edapatterns.billing.renewals.ChargeDedupe.Decision.class,
        dev.edapatterns.billing.renewals.RenewalProcessor.Stats.class,
        dev.edapatterns.billing.subscriptions.SubscriptionRequest.class,
        dev.edapatterns.billing.subscriptions.SubscriptionView.class,
        dev.edapatterns.billing.timezones.CurrentTimeZones.Change.class,
        dev.edapatterns.billing.timezones.TimeZoneDeriver.State.class,
        dev.edapatterns.billing.timezones.TimeZoneDeriver.Stats.class,
        dev.edapatterns.billing.timezones.TimeZonesResource.CountryZones.class,
        dev.edapatterns.billing.timezones.TimeZonesResource.CountryZonesNow.class
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
