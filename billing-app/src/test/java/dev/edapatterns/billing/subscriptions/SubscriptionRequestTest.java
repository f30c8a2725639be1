package dev.edapatterns.billing.subscriptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fixed rules of a subscription request (Bean Validation annotations), without Quarkus or a broker. */
@Tag("unit")
class SubscriptionRequestTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static final String USER_ID = "userId: 1-64 characters of letters, digits, '.', '_', '@' or '-'";
    private static final String PLAN = "plan: required";
    private static final String PLAN_LENGTH = "plan: at most 64 characters";
    private static final String PLAN_CHARACTERS = "plan: no control or formatting characters";
    private static final String PRICE = "price: required";
    private static final String PRICE_POSITIVE = "price: a positive amount";
    private static final String PRICE_DECIMALS = "price: at most 2 decimals";
    private static final String PRICE_MAX = "price: at most 100000";
    private static final String CURRENCY = "currency: an ISO 4217 code such as EUR";
    private static final String COUNTRY = "country: an ISO 3166 alpha-2 code in capitals such as FR";
    private static final String CARD = "cardToken: 1-128 characters of letters, digits, '.', '_' or '-'";

    private static SubscriptionRequest valid() {
        return new SubscriptionRequest("ann.lee@example_1-x", "gold", new BigDecimal("9.99"), "EUR", "FR", "tok_123", null);
    }

    private static SubscriptionRequest with(String userId, String plan, BigDecimal price, String currency, String country,
            String cardToken) {
        return new SubscriptionRequest(userId, plan, price, currency, country, cardToken, LocalDate.of(2026, 12, 31));
    }

    /** "field: message" of every violation, sorted (Bean Validation reports in no particular order). */
    private static Set<String> errors(SubscriptionRequest request) {
        return VALIDATOR.validate(request).stream().map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> set(String... errors) {
        return new TreeSet<>(List.of(errors));
    }

    @Test
    void aValidRequestPasses() {
        assertEquals(Set.of(), errors(valid()));
    }

    @Test
    void everyFaultIsReportedAtOnce() {
        // no userId is fine: the subscription is then the caller's own (the resource fills in the principal)
        assertEquals(set(PLAN, PRICE, "currency: required", "country: required", "cardToken: required"),
                errors(with(null, null, null, null, null, null)));
        assertEquals(set(USER_ID, PLAN, PRICE_POSITIVE, CURRENCY, COUNTRY, CARD), errors(with("", " ", BigDecimal.ZERO, "eur", "fr", "")));
    }

    @Test
    void userIdsAreUpTo64SafeCharacters() {
        SubscriptionRequest v = valid();
        assertEquals(Set.of(), errors(with("u".repeat(64), v.plan(), v.price(), v.currency(), v.country(), v.cardToken())));
        for (String bad : List.of("u".repeat(65), "ann lee", "ann/lee", "ünïcode", "ann\u202Elee")) {
            assertEquals(set(USER_ID), errors(with(bad, v.plan(), v.price(), v.currency(), v.country(), v.cardToken())), bad);
        }
    }

    /** The errors of a valid request but for its price. */
    private static Set<String> price(String price) {
        SubscriptionRequest v = valid();
        return errors(with(v.userId(), v.plan(), new BigDecimal(price), v.currency(), v.country(), v.cardToken()));
    }

    @Test
    void pricesArePositiveWithAtMostTwoDecimalsAndAtMost100000() {
        for (String ok : List.of("0.01", "9.990", "100000", "100000.00", "5")) {
            assertEquals(Set.of(), price(ok), ok);
        }
        assertEquals(set(PRICE_POSITIVE), price("0"));
        assertEquals(set(PRICE_POSITIVE), price("-1"));
        assertEquals(set(PRICE_DECIMALS), price("9.999"));
        assertEquals(set(PRICE_MAX), price("100000.01"));
        assertEquals(set(PRICE_MAX), price("1E+6"));
    }

    @Test
    void hugeAndTinyMagnitudesAreRefusedWithoutExpandingThem() {
        // the strict request reader refuses these exponents already; the rules alone must not expand them either
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertEquals(set(PRICE_MAX), price("1e100000000"));
            assertEquals(set(PRICE_DECIMALS), price("1e-100000000"));
        });
    }

    @Test
    void codesMustBeExactIsoCodes() {
        SubscriptionRequest v = valid();
        for (String bad : List.of("eur", "EURO", "XXY", "", "E".repeat(100_000))) {
            assertEquals(set(CURRENCY), errors(with(v.userId(), v.plan(), v.price(), bad, v.country(), v.cardToken())),
                    bad.substring(0, Math.min(bad.length(), 10)));
        }
        for (String bad : List.of("fr", "FRA", "F", "F1")) {
            assertEquals(set(COUNTRY), errors(with(v.userId(), v.plan(), v.price(), v.currency(), bad, v.cardToken())), bad);
        }
    }

    @Test
    void planAndCardTokenAreRequiredBoundedAndPrintable() {
        SubscriptionRequest v = valid();
        assertEquals(Set.of(), errors(with(v.userId(), "p".repeat(64), v.price(), v.currency(), v.country(), "t".repeat(128))));
        assertEquals(Set.of(), errors(with(v.userId(), "Pro plan — €", v.price(), v.currency(), v.country(), "tok_a.b-c")));
        assertEquals(set(PLAN_LENGTH, CARD),
                errors(with(v.userId(), "p".repeat(65), v.price(), v.currency(), v.country(), "t".repeat(129))));
        assertEquals(set(PLAN, PLAN_CHARACTERS, CARD), errors(with(v.userId(), "\t", v.price(), v.currency(), v.country(), "  ")));
        for (String bad : List.of("pro\u0000", "pro\u202Eorp", "pro\u200B", "pro\u0085")) {
            assertEquals(set(PLAN_CHARACTERS), errors(with(v.userId(), bad, v.price(), v.currency(), v.country(), v.cardToken())), bad);
        }
        for (String bad : List.of("tok 1", "tok_1\n", "tok/1", "tök")) {
            assertEquals(set(CARD), errors(with(v.userId(), v.plan(), v.price(), v.currency(), v.country(), bad)), bad);
        }
    }
}
