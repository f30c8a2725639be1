package dev.edapatterns.eventkit.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: registers for reflection every type Jackson maps in any app, the contracts (events, commands,
 * states: every app links the whole catalog, {@code Topics.ALL}) and event-kit's own (problem+json, store and retry
 * reports), plus the contracts' (de)serializers, which Kafka instantiates by class name and which load the
 * {@code eventkit.value.type} class by name. Contracts has no Quarkus dependency, hence a target list here;
 * {@code SharedReflectionTest} fails when a record or enum is missing from it. Each app lists its own types in its
 * {@code NativeReflection}.
 */
@RegisterForReflection(targets = {
        dev.edapatterns.contracts.CleanupPolicy.class,
        dev.edapatterns.contracts.OwnerApp.class,
        dev.edapatterns.contracts.Topic.class,
        dev.edapatterns.contracts.billing.Charge.class,
        dev.edapatterns.contracts.billing.ChargeClaimCommand.Type.class,
        dev.edapatterns.contracts.billing.ChargeClaimCommand.class,
        dev.edapatterns.contracts.billing.ChargeClaims.PeriodClaim.class,
        dev.edapatterns.contracts.billing.ChargeClaims.Status.class,
        dev.edapatterns.contracts.billing.ChargeClaims.class,
        dev.edapatterns.contracts.billing.LedgerAccount.Entry.class,
        dev.edapatterns.contracts.billing.LedgerAccount.class,
        dev.edapatterns.contracts.billing.RenewalCommand.class,
        dev.edapatterns.contracts.billing.Subscription.Status.class,
        dev.edapatterns.contracts.billing.Subscription.class,
        dev.edapatterns.contracts.imports.Contact.class,
        dev.edapatterns.contracts.imports.ContactRow.class,
        dev.edapatterns.contracts.imports.ImportAggregate.Status.class,
        dev.edapatterns.contracts.imports.ImportAggregate.class,
        dev.edapatterns.contracts.imports.ImportCommand.Type.class,
        dev.edapatterns.contracts.imports.ImportCommand.class,
        dev.edapatterns.contracts.imports.ImportJob.class,
        dev.edapatterns.contracts.imports.RowError.class,
        dev.edapatterns.contracts.orders.CheckoutCompleted.class,
        dev.edapatterns.contracts.orders.Delivery.Status.class,
        dev.edapatterns.contracts.orders.Delivery.class,
        dev.edapatterns.contracts.orders.InventoryCommand.Type.class,
        dev.edapatterns.contracts.orders.InventoryCommand.class,
        dev.edapatterns.contracts.orders.Invoice.class,
        dev.edapatterns.contracts.orders.InvoiceCommand.class,
        dev.edapatterns.contracts.orders.InvoiceCounter.class,
        dev.edapatterns.contracts.orders.OrderItem.class,
        dev.edapatterns.contracts.orders.OrderPayment.class,
        dev.edapatterns.contracts.orders.PaymentCommand.class,
        dev.edapatterns.contracts.orders.PurchaseCompleted.class,
        dev.edapatterns.contracts.orders.Stock.class,
        dev.edapatterns.contracts.progress.ProgressEvent.class,
        dev.edapatterns.contracts.progress.ProgressType.class,
        dev.edapatterns.contracts.reference.CountriesSeeded.class,
        dev.edapatterns.contracts.reference.Country.class,
        dev.edapatterns.contracts.reference.CountryTimeZones.class,
        dev.edapatterns.contracts.retry.SkipDecision.class,
        dev.edapatterns.contracts.retry.Redrive.class,
        dev.edapatterns.eventkit.store.StoredState.class,
        dev.edapatterns.contracts.EventSerializer.class,
        dev.edapatterns.contracts.EventDeserializer.class,
        dev.edapatterns.eventkit.store.AppliedIds.class,
        dev.edapatterns.eventkit.EventKitConfig.TopicsMode.class,
        dev.edapatterns.eventkit.dlq.DeadLetter.class,
        dev.edapatterns.eventkit.dlq.RetryTopology.class,
        dev.edapatterns.eventkit.dlq.RecordedRedrives.Result.class,
        dev.edapatterns.eventkit.dlq.RecordedRedrives.Status.class,
        dev.edapatterns.eventkit.dlq.RecordedRedrives.Bulk.class,
        dev.edapatterns.eventkit.errors.FieldError.class,
        dev.edapatterns.eventkit.kafka.TransactionalWorkers.Settings.class,
        dev.edapatterns.eventkit.ordered.KeyOrderedProcessor.BlockedKey.class,
        dev.edapatterns.eventkit.ordered.KeyOrderedProcessor.Stats.class,
        dev.edapatterns.eventkit.errors.Problem.class,
        dev.edapatterns.eventkit.ops.HeapReport.Heap.class,
        dev.edapatterns.eventkit.ops.StoresReport.StoreReport.class,
        dev.edapatterns.eventkit.retry.BackoffPolicy.class,
        dev.edapatterns.eventkit.retry.BlockedRecord.class,
        dev.edapatterns.eventkit.store.AtomicStoreStats.class,
        dev.edapatterns.eventkit.store.Emit.class,
        dev.edapatterns.eventkit.store.Outcome.class,
        dev.edapatterns.eventkit.store.StoreStats.class
})
public final class SharedReflection {

    private SharedReflection() {
    }
}
