package dev.edapatterns.eventkit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.EventHeaders;
import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.SchemaVersion;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.Stock;

/** The store topics of the catalog as they are on the wire: this envelope around each topic's state type. */
@Tag("unit")
class StoredStateSerdeTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123Z");

    /** One stored state per store topic of the catalog. */
    static final Map<String, StoredState<?>> BY_TOPIC = new HashMap<>();
    static {
        List<OrderItem> items = List.of(new OrderItem("SKU-1", 2, new BigDecimal("9.99")));
        BY_TOPIC.put(Topics.IMPORT_AGGREGATE_STORE.name(), new StoredState<>(4, new ImportAggregate("imp-1", "ch", 10, 4, 20, 1,
                0, ImportAggregate.Status.RUNNING, null, List.of(new RowError(7, "invalid email"))), List.of("imp-1:accepted"),
                Map.of("imp-1:", "0-3,5")));
        BY_TOPIC.put(Topics.BILLING_CHARGE_CLAIMS_STORE.name(), new StoredState<>(2, new ChargeClaims(Map.of("2026-12-01",
                new ChargeClaims.PeriodClaim(ChargeClaims.Status.CHARGED, "local-16", AT, "c1"))), List.of(),
                Map.of("claim:local-", "16", "complete:local-", "17")));
        BY_TOPIC.put(Topics.ORDERS_DELIVERIES_STORE.name(), new StoredState<>(1, new Delivery("o1", "cust", "FR", items,
                Delivery.Status.SCHEDULED, AT), List.of(), Map.of("o", "1")));
        BY_TOPIC.put(Topics.ORDERS_INVENTORY_STORE.name(), new StoredState<>(3, new Stock("SKU-1", 95, 5, 2, "set-stock:1"),
                List.of("set-stock:ab"), Map.of("o", "1-2")));
        BY_TOPIC.put(Topics.ORDERS_INVOICES_COUNTERS.name(), new StoredState<>(2, new InvoiceCounter(3, 2, 10), List.of(),
                Map.of("o", "1-2")));
        BY_TOPIC.put(Topics.ORDERS_PAYMENTS_STORE.name(), new StoredState<>(1, new OrderPayment("o1", "alice@example.com",
                "alice@example.com", "k-1", "ab12", "pay:1", new BigDecimal("19.98"), "EUR", AT), List.of(),
                Map.of("pay:", "1")));
    }

    @Test
    void everyStoreTopicRoundTripsItsStoredStateWithASchemaVersionHeader() {
        List<Topic<?, ?>> stores = Topics.ALL.stream().filter(Topic::atomicStoreState).toList();
        assertEquals(BY_TOPIC.keySet(), stores.stream().map(Topic::name).collect(Collectors.toSet()));
        for (Topic<?, ?> store : stores) {
            roundTrip(StoredState.topic(store));
        }
    }

    private static <V> void roundTrip(Topic<?, V> topic) {
        @SuppressWarnings("unchecked")
        V sample = (V) BY_TOPIC.get(topic.name());
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = topic.valueSerializer().serialize(topic.name(), headers, sample);
        assertEquals(EventHeaders.schemaVersionOf(sample.getClass()), EventHeaders.schemaVersion(headers), topic.name());
        assertTrue(EventHeaders.schemaVersion(headers) >= 1, topic.name());
        assertEquals(sample, topic.valueDeserializer().deserialize(topic.name(), headers, bytes), topic.name());
    }

    @Test
    void storeTopicValueTypeIsTheStoredStateOfTheAggregate() {
        Topic<String, StoredState<ImportAggregate>> wire = StoredState.topic(Topics.IMPORT_AGGREGATE_STORE);
        assertEquals(StoredState.class, wire.valueType().getRawClass());
        assertEquals(ImportAggregate.class, wire.valueType().containedType(0).getRawClass());
        assertEquals(Topics.IMPORT_AGGREGATE_STORE.topicConfigs(), wire.topicConfigs());
        assertEquals(Topics.IMPORT_AGGREGATE_STORE.partitions(), wire.partitions());
        assertTrue(wire.transactional());
    }

    @Test
    void onlyAStoreTopicHasAnEnvelope() {
        assertThrows(IllegalArgumentException.class, () -> StoredState.topic(Topics.PROGRESS));
    }

    @Test
    void malformedBytesFailOnEveryStoreTopic() {
        for (Topic<?, ?> store : Topics.ALL.stream().filter(Topic::atomicStoreState).toList()) {
            SerializationException e = assertThrows(SerializationException.class, () -> StoredState.topic(store)
                    .valueDeserializer().deserialize(store.name(), new RecordHeaders(), "[1,".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains(store.name()), e.getMessage());
            assertTrue(e.getMessage().contains(StoredState.class.getSimpleName()), e.getMessage());
        }
    }

    /** A state type whose own version differs from its envelope's, to see which one the header carries. */
    @SchemaVersion(3)
    record StateV3(String value) {
    }

    @Test
    void genericValueCarriesTheOuterTypesVersion() {
        RecordHeaders headers = new RecordHeaders();
        new EventSerializer<StoredState<StateV3>>().serialize("t", headers, new StoredState<>(1, new StateV3("x"), List.of(), Map.of()));
        assertEquals(EventHeaders.schemaVersionOf(StoredState.class), EventHeaders.schemaVersion(headers));
        assertEquals(2, EventHeaders.schemaVersion(headers));
        assertEquals(3, EventHeaders.schemaVersionOf(StateV3.class));
        assertEquals(1, EventHeaders.schemaVersionOf(String.class), "unannotated types are version 1");
    }
}
