package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.billing.Charge;
import dev.edapatterns.contracts.billing.ChargeClaimCommand;
import dev.edapatterns.contracts.billing.ChargeClaims;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.contracts.orders.CheckoutCompleted;
import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.contracts.orders.InventoryCommand;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.contracts.reference.CountriesSeeded;
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.contracts.retry.SkipDecision;

@Tag("unit")
class EventSerdeTest {

    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123Z");

    /** One sample value per value type of the catalog (of a store topic: its state type). */
    static final Map<Class<?>, Object> SAMPLES = new HashMap<>();
    static {
        List<OrderItem> items = List.of(new OrderItem("SKU-1", 2, new BigDecimal("9.99")));
        SAMPLES.put(ImportJob.class, new ImportJob("imp-1", "channel-0123456789abcdef", 3, 10, AT,
                List.of(new ContactRow(2, "a@example.com", "Ann", "FR", "+33 1"))));
        SAMPLES.put(Contact.class, new Contact("a@example.com", "Ann", "FR", "+33 1", "Europe/Paris", "imp-1", AT));
        SAMPLES.put(ImportCommand.class, new ImportCommand("imp-1:3", "imp-1", "ch", ImportCommand.Type.JOB_FINISHED, 3, 10,
                5, 1, 0, null, null));
        SAMPLES.put(ImportAggregate.class, new ImportAggregate("imp-1", "ch", 10, 4, 20, 1, 0,
                ImportAggregate.Status.RUNNING, null, List.of(new RowError(7, "invalid email")), "importer"));
        SAMPLES.put(ProgressEvent.class, new ProgressEvent("ch", 7, "imp-1", ProgressType.PROCESSED, 4, 10, 20, 1, AT));
        SAMPLES.put(Country.class, new Country("FR", "France", "EUR", List.of("Europe/Paris")));
        SAMPLES.put(CountryTimeZones.class, new CountryTimeZones(List.of("Europe/Paris"), "Europe/Paris", "2026e/2025a"));
        SAMPLES.put(CountriesSeeded.class, new CountriesSeeded(AT, 249, "JDK 17.0.15"));
        SAMPLES.put(Redrive.class, new Redrive("billing.renewals.dlq", 2, 17, "admin", AT, "billing.renewals", 2, 40, 1));
        SAMPLES.put(Subscription.class, new Subscription("u1", "pro", new BigDecimal("12.50"), "EUR", "FR", "tok_1",
                LocalDate.of(2026, 12, 1), Subscription.Status.ACTIVE));
        SAMPLES.put(RenewalCommand.class, new RenewalCommand("u1:2026-12", "u1", "2026-12", new BigDecimal("12.50"), "EUR",
                AT));
        SAMPLES.put(Charge.class, new Charge("c1", "u1", "2026-12", new BigDecimal("12.50"), "EUR", AT));
        SAMPLES.put(LedgerAccount.class, new LedgerAccount("u1", Map.of("EUR", new BigDecimal("9.50")), List.of(
                new LedgerAccount.Entry("c1", "2026-12", new BigDecimal("12.50"), "EUR", AT, 3, 41, AT),
                new LedgerAccount.Entry("r1", "2026-12", new BigDecimal("-3.00"), "EUR", AT, 3, 42, AT))));
        SAMPLES.put(SkipDecision.class, new SkipDecision("ledger", "billing.charges", 3, 42, "u1", 5,
                "posting unavailable", "refunded by hand", AT));
        SAMPLES.put(PurchaseCompleted.class, new PurchaseCompleted("o1", "cust", items, "EUR", "FR", new BigDecimal("19.98"), AT));
        SAMPLES.put(PaymentCommand.class, new PaymentCommand("local-17", "alice@example.com", "key-1", "abc123",
                (PurchaseCompleted) SAMPLES.get(PurchaseCompleted.class)));
        SAMPLES.put(OrderPayment.class, new OrderPayment("o1", "cust", "alice@example.com", "key-1", "abc123", "local-17",
                new BigDecimal("19.98"), "EUR", AT));
        SAMPLES.put(CheckoutCompleted.class, new CheckoutCompleted("o1", "cust", items, "EUR", "FR", new BigDecimal("19.98"), AT));
        SAMPLES.put(InventoryCommand.class, new InventoryCommand("o1", "SKU-1", InventoryCommand.Type.ORDERED, 2, "o1"));
        SAMPLES.put(InvoiceCommand.class, new InvoiceCommand("o1", 3, "o1", "cust", "EUR", new BigDecimal("19.98"), AT));
        SAMPLES.put(Invoice.class, new Invoice(10, "o1", "cust", "EUR", new BigDecimal("19.98"), AT));
        Charge charge = new Charge("c1", "u1", "2026-12-01", new BigDecimal("12.50"), "EUR", AT);
        SAMPLES.put(ChargeClaimCommand.class, new ChargeClaimCommand("complete:local-17", ChargeClaimCommand.Type.COMPLETE,
                "local-16", "2026-12-01", AT, charge));
        SAMPLES.put(ChargeClaims.class, new ChargeClaims(Map.of("2026-12-01",
                new ChargeClaims.PeriodClaim(ChargeClaims.Status.CHARGED, "local-16", AT, "c1"))));
        SAMPLES.put(Delivery.class, new Delivery("o1", "cust", "FR", items, Delivery.Status.SCHEDULED, AT));
        SAMPLES.put(Stock.class, new Stock("SKU-1", 95, 5, 2, "set-stock:1"));
        SAMPLES.put(InvoiceCounter.class, new InvoiceCounter(3, 2, 10));
    }


    @Test
    void everyTopicRoundTripsItsValueTypeWithASchemaVersionHeader() {
        for (Topic<?, ?> topic : Topics.ALL) {
            roundTrip(topic);
        }
    }

    private static <V> void roundTrip(Topic<?, V> topic) {
        @SuppressWarnings("unchecked")
        V sample = (V) SAMPLES.get(topic.valueType().getRawClass());
        assertTrue(sample != null, "no sample for " + topic.name());
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = serializer(topic).serialize(topic.name(), headers, sample);
        assertEquals(EventHeaders.schemaVersionOf(sample.getClass()), EventHeaders.schemaVersion(headers), topic.name());
        assertTrue(EventHeaders.schemaVersion(headers) >= 1, topic.name());
        assertEquals(sample, deserializer(topic).deserialize(topic.name(), headers, bytes), topic.name());
    }

    /**
     * A store topic's records wrap its state in event-kit's envelope (round-tripped by event-kit's StoredStateSerdeTest),
     * so the topic refuses to read or write bare states; here the state type itself must round-trip.
     */
    private static <V> EventSerializer<V> serializer(Topic<?, V> topic) {
        if (topic.atomicStoreState()) {
            assertThrows(IllegalStateException.class, topic::valueSerializer, topic.name());
            return new EventSerializer<>();
        }
        return topic.valueSerializer();
    }

    private static <V> EventDeserializer<V> deserializer(Topic<?, V> topic) {
        if (topic.atomicStoreState()) {
            assertThrows(IllegalStateException.class, topic::valueDeserializer, topic.name());
            return new EventDeserializer<>(topic.valueType());
        }
        return topic.valueDeserializer();
    }

    @Test
    void timesAreIsoStringsAndNullsAreNotWritten() {
        String json = new String(new EventSerializer<>().serialize("t", SAMPLES.get(ImportCommand.class)), StandardCharsets.UTF_8);
        assertTrue(!json.contains("reason"), json);
        String event = new String(new EventSerializer<>().serialize("t", SAMPLES.get(ProgressEvent.class)), StandardCharsets.UTF_8);
        assertTrue(event.contains("\"at\":\"2026-11-29T10:15:30.123Z\""), event);
    }

    @Test
    void tombstoneStaysNullWithoutHeader() {
        RecordHeaders headers = new RecordHeaders();
        assertNull(Topics.REFERENCE_COUNTRIES.valueSerializer().serialize("reference.countries", headers, null));
        assertEquals(-1, EventHeaders.schemaVersion(headers));
        assertNull(Topics.REFERENCE_COUNTRIES.valueDeserializer().deserialize("reference.countries", headers, (byte[]) null));
    }

    @Test
    void reserializingReplacesTheVersionHeaderInsteadOfAddingASecond() {
        RecordHeaders headers = new RecordHeaders();
        Topics.REFERENCE_COUNTRIES.valueSerializer().serialize("t", headers, (Country) SAMPLES.get(Country.class));
        Topics.REFERENCE_COUNTRIES.valueSerializer().serialize("t", headers, (Country) SAMPLES.get(Country.class));
        assertEquals(1, headers.toArray().length);
    }

    @Test
    void malformedBytesFailWithAMessageNamingTopicAndType() {
        SerializationException e = assertThrows(SerializationException.class, () -> Topics.REFERENCE_COUNTRIES
                .valueDeserializer().deserialize("reference.countries", "{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("reference.countries"), e.getMessage());
        assertTrue(e.getMessage().contains("Country"), e.getMessage());
    }

    @Test
    void unreadableVersionHeaderReadsAsAbsent() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.SCHEMA_VERSION, "v2".getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, EventHeaders.schemaVersion(headers));
        assertEquals(-1, EventHeaders.schemaVersion(null));
    }

    @Test
    void malformedBytesFailOnEveryTopicNotJustOne() {
        for (Topic<?, ?> topic : Topics.ALL) {
            SerializationException e = assertThrows(SerializationException.class, () -> deserializer(topic)
                    .deserialize(topic.name(), new RecordHeaders(), "[1,".getBytes(StandardCharsets.UTF_8)), topic.name());
            assertTrue(e.getMessage().contains(topic.name()), e.getMessage());
            assertTrue(e.getMessage().contains(topic.valueType().getRawClass().getSimpleName()), e.getMessage());
        }
    }

    @Test
    void noArgDeserializerReadsTheKeyTypeWhenUsedForKeys() {
        try (EventDeserializer<Country> d = new EventDeserializer<>()) {
            d.configure(Map.of(EventDeserializer.KEY_TYPE_CONFIG, Country.class.getName(),
                    EventDeserializer.VALUE_TYPE_CONFIG, "not.Used"), true);
            byte[] bytes = new EventSerializer<>().serialize("t", SAMPLES.get(Country.class));
            assertEquals(SAMPLES.get(Country.class), d.deserialize("t", bytes));
        }
    }

    @Test
    void noArgDeserializerRefusesAnUnknownClassName() {
        try (EventDeserializer<Object> d = new EventDeserializer<>()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> d.configure(Map.of(EventDeserializer.VALUE_TYPE_CONFIG, "dev.edapatterns.contracts.Nope"), false));
            assertTrue(e.getMessage().contains("dev.edapatterns.contracts.Nope"), e.getMessage());
        }
    }

    @Test
    void noArgDeserializerIsConfiguredByClassName() {
        try (EventDeserializer<Country> d = new EventDeserializer<>()) {
            d.configure(Map.of(EventDeserializer.VALUE_TYPE_CONFIG, Country.class.getName()), false);
            byte[] bytes = new EventSerializer<>().serialize("t", SAMPLES.get(Country.class));
            assertEquals(SAMPLES.get(Country.class), d.deserialize("t", bytes));
        }
        try (EventDeserializer<Country> missing = new EventDeserializer<>()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> missing.configure(Map.of(), false));
            assertTrue(e.getMessage().contains(EventDeserializer.VALUE_TYPE_CONFIG), e.getMessage());
        }
    }
}
