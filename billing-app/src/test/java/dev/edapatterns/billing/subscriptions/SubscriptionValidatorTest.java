package dev.edapatterns.billing.subscriptions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.ProblemException;

@Tag("unit")
class SubscriptionValidatorTest {

    private static final String USER_ID = "userId: 1-64 characters of letters, digits, '.', '_', '@' or '-'";
    private static final String PLAN = "plan: required, at most 64 characters";
    private static final String PRICE = "price: a positive amount with at most 2 decimals, at most 100000";
    private static final String CURRENCY = "currency: an ISO 4217 code such as EUR";
    private static final String COUNTRY = "country: an ISO 3166 alpha-2 code in capitals such as FR";
    private static final String CARD = "cardToken: required, at most 128 characters";

    private static SubscriptionRequest valid() {
        return new SubscriptionRequest("ann.lee@example_1-x", "gold", new BigDecimal("9.99"), "EUR", "FR", "tok_123", null);
    }

    private static SubscriptionRequest with(String userId, String plan, BigDecimal price, String currency, String country,
            String cardToken) {
        return new SubscriptionRequest(userId, plan, price, currency, country, cardToken, LocalDate.of(2026, 12, 31));
    }

    /** The errors member of the 400, or an empty list when the request passes. */
    @SuppressWarnings("unchecked")
    private static List<String> errors(SubscriptionRequest request) {
        try {
            SubscriptionValidator.validate(request);
            return List.of();
        } catch (ProblemException e) {
            assertEquals(400, e.status());
            Problem problem = e.toProblem("/subscriptions");
            assertEquals("The subscription is invalid: " + String.join("; ", (List<String>) problem.extensions().get("errors"))
                    + ".", problem.detail());
            return (List<String>) problem.extensions().get("errors");
        }
    }

    @Test
    void aValidRequestPasses() {
        assertDoesNotThrow(() -> SubscriptionValidator.validate(valid()));
    }

    @Test
    void everyFaultIsReportedAtOnceInFieldOrder() {
        assertEquals(List.of(USER_ID, PLAN, PRICE, CURRENCY, COUNTRY, CARD), errors(with(null, null, null, null, null, null)));
        assertEquals(List.of(USER_ID, PLAN, PRICE, CURRENCY, COUNTRY, CARD), errors(with("", " ", BigDecimal.ZERO, "eur", "fr", "")));
    }

    @Test
    void aMissingBodyIsABadRequestWithoutErrorList() {
        ProblemException e = assertThrows(ProblemException.class, () -> SubscriptionValidator.validate(null));
        assertEquals(400, e.status());
        assertEquals("A JSON body is required.", e.getMessage());
        assertEquals(Map.of(), e.toProblem(null).extensions());
    }

    @Test
    void userIdsAreUpTo64SafeCharacters() {
        SubscriptionRequest v = valid();
        assertEquals(List.of(), errors(with("u".repeat(64), v.plan(), v.price(), v.currency(), v.country(), v.cardToken())));
        for (String bad : List.of("u".repeat(65), "ann lee", "ann/lee", "ünïcode")) {
            assertEquals(List.of(USER_ID), errors(with(bad, v.plan(), v.price(), v.currency(), v.country(), v.cardToken())), bad);
        }
    }

    @Test
    void pricesArePositiveWithAtMostTwoDecimalsAndAtMost100000() {
        SubscriptionRequest v = valid();
        for (String ok : List.of("0.01", "9.990", "100000", "100000.00", "5")) {
            assertEquals(List.of(), errors(with(v.userId(), v.plan(), new BigDecimal(ok), v.currency(), v.country(), v.cardToken())), ok);
        }
        for (String bad : List.of("0", "-1", "9.999", "100000.01", "1E+6")) {
            assertEquals(List.of(PRICE), errors(with(v.userId(), v.plan(), new BigDecimal(bad), v.currency(), v.country(), v.cardToken())),
                    bad);
        }
    }

    @Test
    void codesMustBeExactIsoCodes() {
        SubscriptionRequest v = valid();
        for (String bad : List.of("eur", "EURO", "XXY", "")) {
            assertEquals(List.of(CURRENCY), errors(with(v.userId(), v.plan(), v.price(), bad, v.country(), v.cardToken())), bad);
        }
        for (String bad : List.of("fr", "FRA", "F", "F1")) {
            assertEquals(List.of(COUNTRY), errors(with(v.userId(), v.plan(), v.price(), v.currency(), bad, v.cardToken())), bad);
        }
    }

    @Test
    void planAndCardTokenAreRequiredAndBounded() {
        SubscriptionRequest v = valid();
        assertEquals(List.of(), errors(with(v.userId(), "p".repeat(64), v.price(), v.currency(), v.country(), "t".repeat(128))));
        assertEquals(List.of(PLAN, CARD),
                errors(with(v.userId(), "p".repeat(65), v.price(), v.currency(), v.country(), "t".repeat(129))));
        assertEquals(List.of(PLAN, CARD), errors(with(v.userId(), "\t", v.price(), v.currency(), v.country(), "  ")));
    }
}
