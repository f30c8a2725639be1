package dev.edapatterns.order.payments;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.countries.CountryValidator.FieldError;
import dev.edapatterns.order.payments.PaymentRequest.Item;

@Tag("unit")
class PaymentValidatorTest {

    private static final Instant PAID = Instant.parse("2026-12-06T12:00:00Z");
    private static final int MAX_ITEMS = 3;
    private static final Map<String, Country> COUNTRIES = Map.of("FR", new Country("FR", "France", "EUR", List.of("Europe/Paris")));

    private final AtomicBoolean loaded = new AtomicBoolean(true);
    private final PaymentValidator validator = new PaymentValidator(loaded::get, code -> Optional.ofNullable(COUNTRIES.get(code)),
            MAX_ITEMS);

    private static Item item(String sku, Integer qty, String unitPrice) {
        return new Item(sku, qty, unitPrice == null ? null : new BigDecimal(unitPrice));
    }

    @SuppressWarnings("unchecked")
    private List<FieldError> errors(PaymentRequest body) {
        ProblemException e = assertThrows(ProblemException.class, () -> validator.validate("o-1", body, PAID));
        assertEquals(400, e.status());
        Problem problem = e.toProblem("/orders/o-1/payments");
        List<FieldError> errors = (List<FieldError>) problem.extensions().get("errors");
        assertEquals("The payment is invalid. " + String.join(" ", errors.stream().map(f -> f.field() + ": " + f.message()).toList()),
                problem.detail());
        return errors;
    }

    private List<String> fields(PaymentRequest body) {
        return errors(body).stream().map(FieldError::field).toList();
    }

    @Test
    void aValidPaymentBecomesThePurchaseWithItsTotal() {
        PaymentRequest body = new PaymentRequest("cust-1", List.of(item("a", 2, "1.25"), item("b", 1, "10"), item("a", 3, "0.10")),
                "EUR", "FR");
        assertEquals(new PurchaseCompleted("o-1", "cust-1", List.of(new OrderItem("a", 2, new BigDecimal("1.25")),
                new OrderItem("b", 1, new BigDecimal("10")), new OrderItem("a", 3, new BigDecimal("0.10"))), "EUR", "FR",
                new BigDecimal("12.80"), PAID), validator.validate("o-1", body, PAID));
    }

    @Test
    void nothingIsAnsweredUntilTheCountriesAreLoaded() {
        loaded.set(false);
        ProblemException e = assertThrows(ProblemException.class,
                () -> validator.validate("o-1", new PaymentRequest("cust-1", List.of(item("a", 1, "1")), "EUR", "FR"), PAID));
        assertEquals(503, e.status());
        assertEquals("The countries are still loading; retry shortly.", e.getMessage());
    }

    @Test
    void everyBadFieldIsListedInOneAnswer() {
        assertEquals(List.of("customerId", "currency", "shippingCountry", "items"), fields(new PaymentRequest(" ", null, "eur", "DE")));
        assertEquals(List.of("customerId", "currency", "shippingCountry", "items"),
                fields(new PaymentRequest("c".repeat(101), List.of(), null, null)));
        assertDoesNotThrow(() -> validator.validate("o-1", new PaymentRequest("c".repeat(100), List.of(item("a", 1, "1")), "EUR", "FR"),
                PAID));
    }

    @Test
    void codesAreNotNormalizedHere() {
        assertEquals(List.of("currency", "shippingCountry"), fields(new PaymentRequest("c", List.of(item("a", 1, "1")), "eur", "fr")));
    }

    @Test
    void eachItemIsCheckedAndNamedByItsIndex() {
        List<Item> items = Arrays.asList(item("ok", 1, "1"), null, item(" ", 0, "0"));
        assertEquals(List.of("items[1]", "items[2].sku", "items[2].qty", "items[2].unitPrice"),
                fields(new PaymentRequest("c", items, "EUR", "FR")));
        assertEquals(List.of("items[0].sku", "items[0].qty", "items[0].unitPrice"),
                fields(new PaymentRequest("c", List.of(item("s".repeat(65), -1, "-0.01")), "EUR", "FR")));
        assertEquals(List.of("items[0].sku", "items[0].qty", "items[0].unitPrice"),
                fields(new PaymentRequest("c", List.of(item(null, null, null)), "EUR", "FR")));
    }

    @Test
    void atMostMaxItemsLines() {
        List<Item> max = Collections.nCopies(MAX_ITEMS, item("a", 1, "1"));
        assertEquals(new BigDecimal(MAX_ITEMS), validator.validate("o-1", new PaymentRequest("c", max, "EUR", "FR"), PAID).total());
        List<Item> tooMany = Collections.nCopies(MAX_ITEMS + 1, item(null, null, null));
        assertEquals(List.of(new FieldError("items", "At most " + MAX_ITEMS + " items per order.")),
                errors(new PaymentRequest("c", tooMany, "EUR", "FR")), "the lines themselves are not looked at then");
    }

    @Test
    void orderIdsAreUpTo64SafeCharacters() {
        assertDoesNotThrow(() -> PaymentValidator.requireOrderId("Order_1-" + "x".repeat(56)));
        for (String bad : Arrays.asList(null, "", "x".repeat(65), "a b", "a/b", "ä")) {
            ProblemException e = assertThrows(ProblemException.class, () -> PaymentValidator.requireOrderId(bad), String.valueOf(bad));
            assertEquals(400, e.status());
            assertEquals(List.of(new FieldError("orderId", "not [A-Za-z0-9_-]{1,64}")), e.toProblem(null).extensions().get("errors"));
        }
    }

    @Test
    void theNormalFormUpperCasesCodesAndStripsTrailingZeros() {
        PaymentRequest normal = PaymentValidator.normalize(new PaymentRequest("Cust", Arrays.asList(item("Sku", 2, "1.500"), null,
                item("b", null, null)), "eur", "fr"));
        assertEquals(new PaymentRequest("Cust", Arrays.asList(new Item("Sku", 2, new BigDecimal("1.5")), null, new Item("b", null, null)),
                "EUR", "FR"), normal);
        assertEquals(PaymentValidator.normalize(new PaymentRequest("c", List.of(item("a", 1, "10")), "EUR", "FR")),
                PaymentValidator.normalize(new PaymentRequest("c", List.of(item("a", 1, "10.00")), "eur", "FR")),
                "equal requests normalize equally");
        assertEquals(new PaymentRequest(null, null, null, null), PaymentValidator.normalize(new PaymentRequest(null, null, null, null)));
    }
}
