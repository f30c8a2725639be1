package dev.edapatterns.order.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.OrderPayment;
import dev.edapatterns.contracts.orders.PaymentCommand;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.order.payments.PaymentRequest.Item;

/** The configured bounds of a payment, measured without arithmetic on what the client sent. */
@Tag("unit")
class PaymentBoundsTest {

    /** The defaults of {@code order.payments.*}. */
    private static final PaymentBounds DEFAULTS = new PaymentBounds(100, 10_000, 12, 4);

    private static PaymentRequest order(Item... items) {
        return new PaymentRequest("alice@example.com", Arrays.asList(items), "EUR", "FR");
    }

    private static Item line(Integer qty, String unitPrice) {
        return new Item("sku-1", qty, unitPrice == null ? null : new BigDecimal(unitPrice));
    }

    private static List<String> fields(PaymentRequest request) {
        return DEFAULTS.check(request).stream().map(FieldError::field).toList();
    }

    @Test
    void pricesUpToTwelveIntegerAndFourFractionDigitsPass() {
        for (String ok : List.of("999999999999.9999", "0.0001", "1", "9.990000000", "1E+11", "120.50")) {
            assertEquals(List.of(), fields(order(line(1, ok))), ok);
        }
    }

    @Test
    void hugeTinyAndOverPrecisePricesAreRefusedByTheirShape() {
        for (String bad : List.of("1000000000000", "1e12", "1e1000", "1e100000000", "1e2147483647", "100E+2147483647",
                "0.00001", "1e-1000", "1e-2147483647", "1.00001")) {
            // measured from precision and scale: even 2^31 digits are refused at once, never expanded
            assertEquals(List.of("items[0].unitPrice"),
                    assertTimeoutPreemptively(Duration.ofSeconds(1), () -> fields(order(line(1, bad)))), bad);
        }
        assertEquals("The unit price must have at most 12 digits before the decimal point.",
                DEFAULTS.check(order(line(1, "1e13"))).get(0).message());
        assertEquals("The unit price must have at most 4 digits after the decimal point.",
                DEFAULTS.check(order(line(1, "0.00001"))).get(0).message());
    }

    @Test
    void quantitiesUpToTheMaximum() {
        assertEquals(List.of(), fields(order(line(10_000, "1"))));
        assertEquals(List.of(new FieldError("items[1].qty", "The quantity must be at most 10000.")),
                DEFAULTS.check(order(line(1, "1"), line(10_001, "1"))));
    }

    @Test
    void tooManyLinesAreRefusedWithoutLookingAtThem() {
        assertEquals(List.of(), fields(new PaymentRequest("c", Collections.nCopies(100, line(1, "1")), "EUR", "FR")));
        assertEquals(List.of(new FieldError("items", "At most 100 items per order.")),
                DEFAULTS.check(new PaymentRequest("c", Collections.nCopies(101, line(99_999, "1e99")), "EUR", "FR")));
    }

    @Test
    void absentFieldsAreLeftToTheConstraints() {
        assertEquals(List.of(), fields(new PaymentRequest(null, null, null, null)));
        assertEquals(List.of(), fields(order(null, line(null, null))));
    }

    @Test
    void theLargestTotalIsSmallAndEveryPaymentWithinTheBoundsReadsBack() {
        assertEquals(new BigDecimal("999999999999999900.0000"), DEFAULTS.maxTotal());
        BigDecimal maxPrice = new BigDecimal("999999999999.9999");
        List<OrderItem> lines = Collections.nCopies(100, new OrderItem("s".repeat(64), 10_000, maxPrice));
        BigDecimal total = lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(DEFAULTS.maxTotal(), total);
        Instant paidAt = Instant.parse("2026-12-07T03:00:00Z");
        PurchaseCompleted purchase = new PurchaseCompleted("o-1", "alice@example.com", lines, "EUR", "FR", total, paidAt);
        OrderPayment payment = new OrderPayment("o-1", "alice@example.com", "alice@example.com", "k".repeat(255),
                "f".repeat(64), "i-1", total, "EUR", paidAt);
        PaymentCommand command = new PaymentCommand("i-1", "alice@example.com", "k".repeat(255), "f".repeat(64), purchase);
        // what the store must read back to answer a replay: a payment it could not read would be paid again
        Topic<String, StoredState<OrderPayment>> store = StoredState.topic(Topics.ORDERS_PAYMENTS_STORE);
        StoredState<OrderPayment> stored = new StoredState<>(1, payment, List.of("i-1"), null);
        assertEquals(payment, store.valueDeserializer().deserialize("t", store.valueSerializer().serialize("t", stored)).state());
        assertEquals(command, Topics.ORDERS_PAYMENTS_COMMANDS.valueDeserializer().deserialize("t",
                Topics.ORDERS_PAYMENTS_COMMANDS.valueSerializer().serialize("t", command)));
        assertEquals(purchase, Topics.ORDERS_PURCHASE_COMPLETED.valueDeserializer().deserialize("t",
                Topics.ORDERS_PURCHASE_COMPLETED.valueSerializer().serialize("t", purchase)));
    }
}
