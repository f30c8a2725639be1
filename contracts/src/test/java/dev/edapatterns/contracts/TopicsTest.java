package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TopicsTest {

    @Test
    void catalogHasExactlyTheDesignsTopicsOnceEach() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "duplicate names: " + names);
        assertEquals(Set.of("import.jobs", "import.contacts", "import.aggregate.commands", "import.aggregate.store", "progress",
                "reference.countries", "reference.countries.seeded", "reference.timezones", "billing.subscriptions",
                "billing.renewals",
                "billing.renewals_retry_5000", "billing.renewals_retry_30000", "billing.renewals_retry_300000",
                "billing.renewals.dlq", "billing.charges", "billing.ledger", "billing.ledger.skips", "billing.renewals_retry_500",
                "billing.renewals_retry_1000", "billing.renewals_retry_2000", "billing.charge-claims", "billing.charge-claims.store", "orders.purchase-completed", "orders.purchase-completed.dlq",
                "orders.checkout-completed", "orders.payments.commands", "orders.payments.store", "orders.deliveries.store",
                "orders.inventory.commands", "orders.inventory.store", "orders.invoices.commands",
                "orders.invoices.counters", "orders.invoices", "import.contacts.dlq", "orders.deliveries.store.dlq",
                "orders.invoices.dlq", "billing.renewals.dlq.redrives"), Set.copyOf(names));
        Topics.ALL.forEach(t -> assertTrue(t.owner() != null, t + " has no owner"));
    }

    @Test
    void everyTopicHasStringKeysSixPartitionsAndADescription() {
        for (Topic<?, ?> t : Topics.ALL) {
            assertEquals(String.class, t.keyType(), t.name());
            assertEquals(6, t.partitions(), t.name());
            assertTrue(t.description() != null && !t.description().isBlank(), t.name());
        }
    }

    @Test
    void transactionallyWrittenTopicsAreMarkedSoReadersUseReadCommitted() {
        Set<String> transactional = Topics.ALL.stream().filter(Topic::transactional).map(Topic::name).collect(Collectors.toSet());
        assertEquals(Set.of("import.jobs", "import.contacts", "import.aggregate.commands", "import.aggregate.store", "progress",
                "reference.countries", "reference.countries.seeded", "reference.timezones", "billing.charge-claims.store",
                "billing.charges", "orders.purchase-completed",
                "orders.purchase-completed.dlq", "orders.checkout-completed", "orders.payments.store", "orders.deliveries.store",
                "orders.inventory.commands", "orders.inventory.store", "orders.invoices.commands",
                "orders.invoices.counters", "orders.invoices", "billing.renewals.dlq.redrives"), transactional);
    }

    @Test
    void compactedTopicsAreTheStoreSources() {
        Set<String> compacted = Topics.ALL.stream().filter(t -> t.cleanupPolicy() == CleanupPolicy.COMPACT).map(Topic::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("import.contacts", "import.aggregate.store", "reference.countries", "reference.countries.seeded",
                "reference.timezones",
                "billing.subscriptions", "billing.ledger", "billing.ledger.skips", "billing.charge-claims.store", "orders.payments.store",
                "orders.deliveries.store", "orders.inventory.store", "orders.invoices.counters", "orders.invoices",
                "billing.renewals.dlq.redrives"), compacted);
    }

    @Test
    void requireListsEveryKnownNameForAnUnknownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.require("nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        Topics.ALL.forEach(t -> assertTrue(e.getMessage().contains(t.name()), t.name() + " missing in: " + e.getMessage()));
        assertTrue(Topics.byName("nope").isEmpty());
    }

    /** The envelope around the state is event-kit's (its StoredStateSerdeTest); the catalog names the state type. */
    @Test
    void storeTopicValueTypeIsTheStateOfTheAggregate() {
        assertEquals(dev.edapatterns.contracts.imports.ImportAggregate.class, Topics.IMPORT_AGGREGATE_STORE.valueType().getRawClass());
        assertTrue(Topics.IMPORT_AGGREGATE_STORE.atomicStoreState());
        assertEquals(List.of("import.aggregate.store", "billing.charge-claims.store", "orders.payments.store", "orders.deliveries.store",
                "orders.inventory.store", "orders.invoices.counters"),
                Topics.ALL.stream().filter(Topic::atomicStoreState).map(Topic::name).toList());
    }

    @Test
    void retryAndDlqTopicsKeepTheirSourcesPartitionCount() {
        Map<String, Integer> partitions = Topics.ALL.stream().collect(Collectors.toMap(Topic::name, Topic::partitions));
        for (String name : partitions.keySet()) {
            String source = name.replaceAll("_retry_\\d+$", "").replaceAll("\\.dlq$", "");
            assertEquals(partitions.get(source), partitions.get(name), name + " vs " + source);
        }
    }

    @Test
    void atomicStoreTopicsAreCoPartitioned() {
        assertEquals(Topics.IMPORT_AGGREGATE_COMMANDS.partitions(), Topics.IMPORT_AGGREGATE_STORE.partitions());
        assertEquals(Topics.BILLING_CHARGE_CLAIMS.partitions(), Topics.BILLING_CHARGE_CLAIMS_STORE.partitions());
        assertEquals(Topics.ORDERS_PAYMENTS_COMMANDS.partitions(), Topics.ORDERS_PAYMENTS_STORE.partitions());
    }

    @Test
    void topicConfigsCarryCleanupPolicyAndRetention() {
        assertEquals(Map.of("cleanup.policy", "compact"), Topics.REFERENCE_COUNTRIES.topicConfigs());
        assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", "3600000"), Topics.PROGRESS.topicConfigs());
    }

    @Test
    void unknownNameIsRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.require("import.jbos"));
        assertTrue(e.getMessage().contains("'import.jbos'"), e.getMessage());
        assertTrue(e.getMessage().contains("import.jobs"), e.getMessage());
        assertEquals(Topics.PROGRESS, Topics.require("progress"));
    }
}
