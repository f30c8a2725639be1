package dev.edapatterns.billing.subscriptions;

import java.math.BigDecimal;
import java.time.LocalDate;

import dev.edapatterns.contracts.billing.CardTokens;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.billing.Subscription.Status;

/**
 * A subscription as the API answers it: the card token is write-only, so only its last 4 characters show
 * ({@code cardLast4}, null for a token shorter than 8 characters).
 */
public record SubscriptionView(String userId, String plan, BigDecimal price, String currency, String country, String cardLast4,
        LocalDate paidUntil, Status status) {

    static SubscriptionView of(Subscription s) {
        return new SubscriptionView(s.userId(), s.plan(), s.price(), s.currency(), s.country(), CardTokens.last4(s.cardToken()),
                s.paidUntil(), s.status());
    }
}
