package dev.edapatterns.contracts;

import static dev.edapatterns.contracts.OwnerApp.BILLING_APP;
import static dev.edapatterns.contracts.OwnerApp.IMPORT_APP;
import static dev.edapatterns.contracts.OwnerApp.ORDER_APP;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.ChargeClaimCommand;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.reference.CountriesSeeded;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.contracts.retry.SkipDecision;

/**
 * The event catalog: every topic of the system, declared once. Apps list the names they use in
 * {@code eventkit.topics}; event-kit creates and verifies them from these declarations.
 */
public final class Topics {

    /** Partitions of every topic locally (retry and DLQ topics keep their source's count). */
    public static final int DEFAULT_PARTITIONS = 6;

    // --- pattern 2 + 6: imports -------------------------------------------------------------------------------
    public static final Topic<String, ImportJob> IMPORT_JOBS = Topic.builder("import.jobs", ImportJob.class)
            .owner(IMPORT_APP).transactional()
            .description("Jobs of an import, key importId:jobIndex so one import spreads over all importers").build();
    public static final Topic<String, Contact> IMPORT_CONTACTS = Topic.builder("import.contacts", Contact.class)
            .owner(IMPORT_APP).compacted().transactional()
            .description("Imported contacts, key normalized email").build();
    public static final Topic<String, ImportCommand> IMPORT_AGGREGATE_COMMANDS = Topic
            .builder("import.aggregate.commands", ImportCommand.class)
            .owner(IMPORT_APP).transactional()
            .description("Commands to the import aggregate (atomic store), key importId").build();
    public static final Topic<String, ImportAggregate> IMPORT_AGGREGATE_STORE = Topic
            .builder("import.aggregate.store", ImportAggregate.class)
            .owner(IMPORT_APP).compacted().transactional().atomicStoreState()
            .description("State of each import, single writer per key (atomic store), key importId").build();
    public static final Topic<String, ProgressEvent> PROGRESS = Topic.builder("progress", ProgressEvent.class)
            .owner(IMPORT_APP).retention(Duration.ofHours(1)).transactional()
            .description("Progress events for browsers, key channelId (one partition per channel)").build();

    // --- pattern 3: reference data -----------------------------------------------------------------------------
    public static final Topic<String, Country> REFERENCE_COUNTRIES = Topic.builder("reference.countries", Country.class)
            .owner(ORDER_APP).compacted().transactional()
            .description("Countries, key ISO 3166 alpha-2 (the first start's seed is one transaction with its marker)").build();
    public static final Topic<String, CountriesSeeded> REFERENCE_COUNTRIES_SEEDED = Topic
            .builder("reference.countries.seeded", CountriesSeeded.class)
            .owner(ORDER_APP).compacted().transactional()
            .description("The once-per-cluster marker: reference.countries was seeded (written in the seed's "
                    + "transaction), key reference.countries").build();
    public static final Topic<String, CountryTimeZones> REFERENCE_TIMEZONES = Topic
            .builder("reference.timezones", CountryTimeZones.class)
            .owner(BILLING_APP).compacted().transactional()
            .description("Zone ids per country derived from reference.countries (exactly once, with the consumed "
                    + "offsets), key ISO alpha-2").build();

    // --- pattern 4: billing --------------------------------------------------------------------------------------
    public static final Topic<String, Subscription> BILLING_SUBSCRIPTIONS = Topic
            .builder("billing.subscriptions", Subscription.class)
            .owner(BILLING_APP).compacted()
            .description("Subscriptions, key userId").build();
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS = renewals("billing.renewals",
            "Renewal commands from the scheduler, key userId");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_5000 = renewals("billing.renewals_retry_5000",
            "Renewals retried after 5 s (SmallRye delayed-retry-topic naming)");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_30000 = renewals("billing.renewals_retry_30000",
            "Renewals retried after 30 s");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_300000 = renewals("billing.renewals_retry_300000",
            "Renewals retried after 5 min");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_DLQ = renewals("billing.renewals.dlq",
            "Renewals that failed every attempt or were declined, with cause headers");
    // the %test profile's delays (SmallRye derives a retry topic's delay from the digits after its last "_")
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_500 = renewals("billing.renewals_retry_500",
            "Renewals retried after 0.5 s (test profile delays)");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_1000 = renewals("billing.renewals_retry_1000",
            "Renewals retried after 1 s (test profile delays)");
    public static final Topic<String, RenewalCommand> BILLING_RENEWALS_RETRY_2000 = renewals("billing.renewals_retry_2000",
            "Renewals retried after 2 s (test profile delays)");
    public static final Topic<String, ChargeClaimCommand> BILLING_CHARGE_CLAIMS = Topic
            .builder("billing.charge-claims", ChargeClaimCommand.class)
            .owner(BILLING_APP)
            .description("Commands to the charge dedupe store (claim/complete/release userId:period), key userId").build();
    public static final Topic<String, ChargeClaims> BILLING_CHARGE_CLAIMS_STORE = Topic
            .builder("billing.charge-claims.store", ChargeClaims.class)
            .owner(BILLING_APP).compacted().transactional().atomicStoreState()
            .description("Charge dedupe store: per user, which periods are claimed or charged (atomic store), key userId")
            .build();
    public static final Topic<String, Charge> BILLING_CHARGES = Topic.builder("billing.charges", Charge.class)
            .owner(BILLING_APP).transactional()
            .description("Successful charges, key userId, written in the dedupe store's transaction that marks the period "
                    + "charged; the ledger reads them (read_committed) with blocking retry per user").build();
    public static final Topic<String, LedgerAccount> BILLING_LEDGER = Topic.builder("billing.ledger", LedgerAccount.class)
            .owner(BILLING_APP).compacted()
            .description("Per-user ledger projected from billing.charges in offset order, key userId, written to the "
                    + "charge's partition number by its single consumer").build();
    public static final Topic<String, SkipDecision> BILLING_LEDGER_SKIPS = Topic
            .builder("billing.ledger.skips", SkipDecision.class)
            .owner(BILLING_APP).compacted()
            .description("Operators' decisions to skip a billing.charges record that blocked a ledger user, key "
                    + "consumer/topic/partition/offset (so a restart never re-blocks on it)").build();

    // --- pattern 5: orders -------------------------------------------------------------------------------------
    public static final Topic<String, PurchaseCompleted> ORDERS_PURCHASE_COMPLETED = Topic
            .builder("orders.purchase-completed", PurchaseCompleted.class)
            .owner(ORDER_APP).transactional()
            .description("Order purchase completed, emitted once per orderId in the payments store's transaction, key "
                    + "orderId").build();
    public static final Topic<String, PurchaseCompleted> ORDERS_PURCHASE_COMPLETED_DLQ = Topic
            .builder("orders.purchase-completed.dlq", PurchaseCompleted.class)
            .owner(ORDER_APP).transactional()
            .description("Invalid purchases set aside by checkout inside its transaction, with cause headers").build();
    public static final Topic<String, CheckoutCompleted> ORDERS_CHECKOUT_COMPLETED = Topic
            .builder("orders.checkout-completed", CheckoutCompleted.class)
            .owner(ORDER_APP).transactional()
            .description("Order checkout completed, written with the consumed offsets in one transaction, key orderId")
            .build();
    public static final Topic<String, PaymentCommand> ORDERS_PAYMENTS_COMMANDS = Topic
            .builder("orders.payments.commands", PaymentCommand.class)
            .owner(ORDER_APP)
            .description("Payments of orders from POST /orders/{orderId}/payments to the payments store (atomic store, "
                    + "single writer per order), key orderId").build();
    public static final Topic<String, OrderPayment> ORDERS_PAYMENTS_STORE = Topic
            .builder("orders.payments.store", OrderPayment.class)
            .owner(ORDER_APP).compacted().transactional().atomicStoreState()
            .description("Payments store: the one accepted payment of each order (who paid, Idempotency-Key, request "
                    + "fingerprint: SHA-256 of orderId and canonical body, answer), written with its purchase in one transaction (atomic store), key orderId").build();

    public static final Topic<String, Delivery> ORDERS_DELIVERIES_STORE = Topic
            .builder("orders.deliveries.store", Delivery.class)
            .owner(ORDER_APP).compacted().transactional().atomicStoreState()
            .description("Deliveries view: one delivery per orderId (atomic store over orders.checkout-completed), "
                    + "key orderId").build();
    public static final Topic<String, InventoryCommand> ORDERS_INVENTORY_COMMANDS = Topic
            .builder("orders.inventory.commands", InventoryCommand.class)
            .owner(ORDER_APP).transactional()
            .description("Inventory commands: ORDERED from the deliveries view's transaction, once per order (one per "
                    + "sku), SET_STOCK from PUT /inventory/{sku}; key sku").build();
    public static final Topic<String, Stock> ORDERS_INVENTORY_STORE = Topic
            .builder("orders.inventory.store", Stock.class)
            .owner(ORDER_APP).compacted().transactional().atomicStoreState()
            .description("Inventory view: stock per sku, each order counted once (atomic store), key sku").build();
    public static final Topic<String, InvoiceCommand> ORDERS_INVOICES_COMMANDS = Topic
            .builder("orders.invoices.commands", InvoiceCommand.class)
            .owner(ORDER_APP).transactional()
            .description("Invoice an order, from the deliveries view's transaction, once per order; key "
                    + "invoice-counter-<n> (chosen from the orderId)").build();
    public static final Topic<String, InvoiceCounter> ORDERS_INVOICES_COUNTERS = Topic
            .builder("orders.invoices.counters", InvoiceCounter.class)
            .owner(ORDER_APP).compacted().transactional().atomicStoreState()
            .description("Invoice-number counters (atomic store), key invoice-counter-<n>").build();
    public static final Topic<String, Invoice> ORDERS_INVOICES = Topic.builder("orders.invoices", Invoice.class)
            .owner(ORDER_APP).compacted().transactional()
            .description("Invoices view: one invoice per orderId, emitted with its counter's state, key orderId")
            .build();

    // --- pattern 1: order-app's read model (projections into PostgreSQL) --------------------------------------------
    public static final Topic<String, Contact> IMPORT_CONTACTS_DLQ = Topic.builder("import.contacts.dlq", Contact.class)
            .owner(ORDER_APP)
            .description("import.contacts records the customers projection cannot read, with cause headers").build();
    public static final Topic<String, Delivery> ORDERS_DELIVERIES_STORE_DLQ = Topic
            .builder("orders.deliveries.store.dlq", Delivery.class)
            .owner(ORDER_APP)
            .description("orders.deliveries.store records (store envelopes) the order-history projection cannot read, "
                    + "with cause headers").build();
    public static final Topic<String, Invoice> ORDERS_INVOICES_DLQ = Topic.builder("orders.invoices.dlq", Invoice.class)
            .owner(ORDER_APP)
            .description("orders.invoices records the order-history projection cannot read, with cause headers").build();

    // --- operators' actions on dead letters ----------------------------------------------------------------------
    public static final Topic<String, Redrive> BILLING_RENEWALS_DLQ_REDRIVES = Topic
            .builder("billing.renewals.dlq.redrives", Redrive.class)
            .owner(BILLING_APP).compacted().transactional()
            .description("Redrives of billing.renewals.dlq letters (who, when, where the copy went), written in the "
                    + "transaction that writes the copy, key dlqTopic/partition/offset").build();

    public static final List<Topic<?, ?>> ALL = List.of(
            IMPORT_JOBS, IMPORT_CONTACTS, IMPORT_AGGREGATE_COMMANDS, IMPORT_AGGREGATE_STORE, PROGRESS,
            REFERENCE_COUNTRIES, REFERENCE_COUNTRIES_SEEDED, REFERENCE_TIMEZONES,
            BILLING_SUBSCRIPTIONS, BILLING_RENEWALS, BILLING_RENEWALS_RETRY_5000, BILLING_RENEWALS_RETRY_30000,
            BILLING_RENEWALS_RETRY_300000, BILLING_RENEWALS_DLQ, BILLING_CHARGES, BILLING_LEDGER, BILLING_LEDGER_SKIPS,
            BILLING_RENEWALS_RETRY_500, BILLING_RENEWALS_RETRY_1000, BILLING_RENEWALS_RETRY_2000,
            BILLING_CHARGE_CLAIMS, BILLING_CHARGE_CLAIMS_STORE,
            ORDERS_PURCHASE_COMPLETED, ORDERS_PURCHASE_COMPLETED_DLQ, ORDERS_CHECKOUT_COMPLETED, ORDERS_PAYMENTS_COMMANDS,
            ORDERS_PAYMENTS_STORE, ORDERS_DELIVERIES_STORE, ORDERS_INVENTORY_COMMANDS, ORDERS_INVENTORY_STORE,
            ORDERS_INVOICES_COMMANDS, ORDERS_INVOICES_COUNTERS, ORDERS_INVOICES,
            IMPORT_CONTACTS_DLQ, ORDERS_DELIVERIES_STORE_DLQ, ORDERS_INVOICES_DLQ, BILLING_RENEWALS_DLQ_REDRIVES);

    private static final Map<String, Topic<?, ?>> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Topic::name, Function.identity()));

    private Topics() {
    }

    public static Optional<Topic<?, ?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The declaration of {@code name}; an unknown name is a configuration error that lists the known ones. */
    public static Topic<?, ?> require(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("Unknown topic '" + name
                + "': not in the event catalog (contracts). Known topics: "
                + ALL.stream().map(Topic::name).collect(Collectors.joining(", "))));
    }

    private static Topic<String, RenewalCommand> renewals(String name, String description) {
        return Topic.builder(name, RenewalCommand.class).owner(BILLING_APP).description(description).build();
    }
}
