package dev.edapatterns.billing.subscriptions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

import dev.edapatterns.eventkit.errors.ProblemException;

/** Checks a subscription request; every problem is reported at once (problem+json {@code errors}). */
final class SubscriptionValidator {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private SubscriptionValidator() {
    }

    static void validate(SubscriptionRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("A JSON body is required.");
        }
        List<String> errors = new ArrayList<>();
        if (r.userId() == null || !USER_ID.matcher(r.userId()).matches()) {
            errors.add("userId: 1-64 characters of letters, digits, '.', '_', '@' or '-'");
        }
        if (r.plan() == null || r.plan().isBlank() || r.plan().length() > 64) {
            errors.add("plan: required, at most 64 characters");
        }
        if (r.price() == null || r.price().signum() <= 0 || r.price().stripTrailingZeros().scale() > 2
                || r.price().compareTo(new BigDecimal("100000")) > 0) {
            errors.add("price: a positive amount with at most 2 decimals, at most 100000");
        }
        if (r.currency() == null || !isCurrency(r.currency())) {
            errors.add("currency: an ISO 4217 code such as EUR");
        }
        if (r.country() == null || !COUNTRY.matcher(r.country()).matches()) {
            errors.add("country: an ISO 3166 alpha-2 code in capitals such as FR");
        }
        if (r.cardToken() == null || r.cardToken().isBlank() || r.cardToken().length() > 128) {
            errors.add("cardToken: required, at most 128 characters");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("The subscription is invalid: " + String.join("; ", errors) + ".")
                    .with("errors", errors);
        }
    }

    private static boolean isCurrency(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
