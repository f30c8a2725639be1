package dev.edapatterns.order.payments;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.validation.ConstraintViolationException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.order.Ids;
import dev.edapatterns.order.TestConstraints;
import dev.edapatterns.order.payments.PaymentRequest.Item;

@Tag("unit")
class PaymentValidatorTest {

    private static final Instant PAID = Instant.parse("2026-12-06T12:00:00Z");
    private static final int MAX_ITEMS = 3;
    private static final Map<String, Country> COUNTRIES = Map.of("FR", new Country("FR", "France", "EUR", List.of("Europe/Paris")));

    private final AtomicBoolean loaded = new AtomicBoolean(true);
    private final PaymentValidator validator = new PaymentValidator(TestConstraints.validator(),
            new PaymentBounds(MAX_ITEMS, 10, 12, 4), loaded::get, code -> Optional.ofNullable(COUNTRIES.get(code)));

    private static Item item(String sku, Integer qty, String unitPrice) {
        return new Item(sku, qty, unitPrice == null ? null : new BigDecimal(unitPrice));
    }

    /** The paths of every constraint the request violates (one answer for all of them). */
    private List<String> violated(PaymentRequest body) {
        return TestConstraints.paths(assertThrows(ConstraintViolationException.class, () -> validator.checkShape(body)));
    }

    @SuppressWarnings("unchecked")
    private static List<FieldError> errors(ProblemException e) {
        assertEquals(400, e.status());
        Problem problem = e.toProblem("/orders/o-1/payments");
        assertEquals(ProblemTypes.INVALID_REQUEST, problem.type());
        List<FieldError> errors = (List<FieldError>) problem.extensions().get("errors");
        String detail = "The payment is invalid. " + String.join(" ", errors.stream().map(f -> f.field() + ": " + f.message()).toList());
        // a problem's detail is cut at 300 characters; the errors list is complete
        assertEquals(detail.length() <= 300 ? detail : detail.substring(0, 299) + "\u2026", problem.detail());
        return errors;
    }

    private PurchaseCompleted accept(PaymentRequest body) {
        validator.checkShape(body);
        return validator.validate("o-1", body, PAID);
    }

    @Test
    void aValidPaymentBecomesThePurchaseWithItsTotal() {
        PaymentRequest body = new PaymentRequest("cust-1", List.of(item("a", 2, "1.25"), item("b", 1, "10"), item("a", 3, "0.10")),
                "EUR", "FR");
        assertEquals(new PurchaseCompleted("o-1", "cust-1", List.of(new OrderItem("a", 2, new BigDecimal("1.25")),
                new OrderItem("b", 1, new BigDecimal("10")), new OrderItem("a", 3, new BigDecimal("0.10"))), "EUR", "FR",
                new BigDecimal("12.80"), PAID), accept(body));
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
    void everyViolatedConstraintIsListedInOneAnswer() {
        assertEquals(List.of("customerId", "items"), violated(new PaymentRequest(" ", null, "eur", "DE")));
        assertEquals(List.of("currency", "customerId", "items", "shippingCountry"),
                violated(new PaymentRequest("c".repeat(101), List.of(), null, null)));
        assertEquals(List.of("currency", "shippingCountry"),
                violated(new PaymentRequest("c", List.of(item("a", 1, "1")), "EURO", "F".repeat(1_000))));
        assertDoesNotThrow(() -> accept(new PaymentRequest("c".repeat(100), List.of(item("a", 1, "1")), "EUR", "FR")));
    }

    @Test
    void theShippingCountryMustBeInTheStoreByItsStoredCode() {
        // the service normalizes codes first (fr is FR); the store's keys are upper case
        assertEquals(List.of(new FieldError("shippingCountry", "Not a known country (GET /countries).")),
                errors(assertThrows(ProblemException.class, () -> accept(new PaymentRequest("c", List.of(item("a", 1, "1")),
                        "eur", "fr")))));
        assertEquals("FR", accept(PaymentValidator.normalize(new PaymentRequest("c", List.of(item("a", 1, "1")), "eur", "fr")))
                .shippingCountry());
    }

    @Test
    void eachItemIsCheckedAndNamedByItsIndex() {
        List<Item> items = Arrays.asList(item("ok", 1, "1"), null, item(" ", 0, "0"));
        assertEquals(List.of("items[1].<list element>", "items[2].qty", "items[2].sku", "items[2].unitPrice"),
                violated(new PaymentRequest("c", items, "EUR", "FR")));
        assertEquals(List.of("items[0].qty", "items[0].sku", "items[0].unitPrice"),
                violated(new PaymentRequest("c", List.of(item("s".repeat(65), -1, "-0.01")), "EUR", "FR")));
        assertEquals(List.of("items[0].qty", "items[0].sku", "items[0].unitPrice"),
                violated(new PaymentRequest("c", List.of(item(null, null, null)), "EUR", "FR")));
        assertEquals(List.of("items[0].sku"), violated(new PaymentRequest("c", List.of(item("sku\u202e1", 1, "1")), "EUR", "FR")),
                "a sku is what /inventory/{sku} takes");
    }

    @Test
    void theBoundsComeFirstAndALongListIsNotLookedInto() {
        List<Item> max = Collections.nCopies(MAX_ITEMS, item("a", 1, "1"));
        assertEquals(new BigDecimal(MAX_ITEMS), accept(new PaymentRequest("c", max, "EUR", "FR")).total());
        List<Item> tooMany = Collections.nCopies(MAX_ITEMS + 1, item(null, null, null));
        assertEquals(List.of(new FieldError("items", "At most " + MAX_ITEMS + " items per order.")),
                errors(assertThrows(ProblemException.class, () -> validator.checkShape(new PaymentRequest(null, tooMany, null, null)))),
                "the lines themselves are not looked at then");
        assertEquals(List.of("items[0].qty", "items[0].unitPrice"), errors(assertThrows(ProblemException.class,
                () -> validator.checkShape(new PaymentRequest("c", List.of(item("a", 11, "1e13")), "EUR", "FR"))))
                .stream().map(FieldError::field).toList());
    }

    @Test
    void orderIdsAreUpTo64SafeCharacters() {
        assertTrue(java.util.regex.Pattern.matches(Ids.ORDER_ID, "Order_1-" + "x".repeat(56)));
        for (String bad : Arrays.asList("", "x".repeat(65), "a b", "a/b", "a.b", "ä")) {
            assertFalse(java.util.regex.Pattern.matches(Ids.ORDER_ID, bad), bad);
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
