package dev.edapatterns.billing.subscriptions;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The body of {@code POST /subscriptions}. {@code paidUntil} is optional: without it the subscription is due at once
 * (local midnight of today in the user's zone), so the first month is charged by the next scheduler tick.
 */
public record SubscriptionRequest(String userId, String plan, BigDecimal price, String currency, String country,
        String cardToken, LocalDate paidUntil) {
}
