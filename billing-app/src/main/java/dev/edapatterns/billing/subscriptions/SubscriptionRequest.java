package dev.edapatterns.billing.subscriptions;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.edapatterns.billing.InputRules;
import dev.edapatterns.contracts.billing.CardTokens;
import dev.edapatterns.eventkit.requests.CurrencyCode;

/**
 * The body of {@code POST /subscriptions}. {@code paidUntil} is optional: without it the subscription is due at once
 * (local midnight of today in the user's zone), so the first month is charged by the next scheduler tick. {@code userId}
 * is optional too: without it the subscription is the caller's own. The rules here need nothing but the request; how
 * far {@code paidUntil} may lie from today is {@link SubscriptionValidator}'s (it needs the clock and the user's zone).
 * The price is checked as a bounded decimal (its digits and range, by comparison only) before anything computes with it.
 */
public record SubscriptionRequest(
        @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId,
        @NotBlank(message = "required") @Size(max = 64, message = "at most 64 characters")
        @Pattern(regexp = InputRules.PRINTABLE, message = InputRules.PRINTABLE_MESSAGE) String plan,
        @NotNull(message = "required") @DecimalMin(value = "0", inclusive = false, message = "a positive amount")
        @DecimalMax(value = MAX_PRICE, message = "at most " + MAX_PRICE)
        @Decimals(max = 2, message = "at most 2 decimals") BigDecimal price,
        @NotNull(message = "required") @CurrencyCode(message = "an ISO 4217 code such as EUR") String currency,
        @NotNull(message = "required")
        @Pattern(regexp = "[A-Z]{2}", message = "an ISO 3166 alpha-2 code in capitals such as FR") String country,
        @NotNull(message = "required")
        @Pattern(regexp = InputRules.CARD_TOKEN, message = InputRules.CARD_TOKEN_MESSAGE) String cardToken,
        LocalDate paidUntil) {

    static final String MAX_PRICE = "100000";

    /** The same request for {@code userId} (the caller's own when the body named nobody). */
    SubscriptionRequest forUser(String userId) {
        return new SubscriptionRequest(userId, plan, price, currency, country, cardToken, paidUntil);
    }

    @Override
    public String toString() {
        return "SubscriptionRequest[userId=" + userId + ", plan=" + plan + ", price=" + price + ", currency=" + currency
                + ", country=" + country + ", cardToken=" + CardTokens.masked(cardToken) + ", paidUntil=" + paidUntil + "]";
    }
}
