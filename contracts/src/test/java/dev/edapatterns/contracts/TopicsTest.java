package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void catalogHasExactlyTheDesignsTopicsOnceEach() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "duplicate names: " + names);
        assertEquals(Set.of("import.jobs", "import.contacts", "import.aggregate.commands", "import.aggregate.store", "progress",
                "reference.countries", "reference.timezones", "billing.subscriptions", "billing.renewals",
                "billing.renewals_retry_5000", "billing.renewals_retry_30000", "billing.renewals_retry_300000",
                "billing.renewals.dlq", "billing.charges", "orders.purchase-completed", "orders.purchase-completed.dlq",
                "orders.checkout-completed"), Set.copyOf(names));
        Topics.ALL.forEach(t -> assertTrue(t.owner() != null, t + " has no owner"));
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
