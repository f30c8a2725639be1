package dev.edapatterns.billing.subscriptions;

import java.math.BigDecimal;
import java.time.LocalDate;

import dev.edapatterns.contracts.billing.CardTokens;

/**
 * The body of {@code POST /subscriptions}. {@code paidUntil} is optional: without it the subscription is due at once
 * (local midnight of today in the user's zone), so the first month is charged by the next scheduler tick. {@code userId}
 * is optional too: without it the subscription is the caller's own.
 */
public record SubscriptionRequest(String userId, String plan, BigDecimal price, String currency, String country,
        String cardToken, LocalDate paidUntil) {

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
