package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A subscription on compacted {@code billing.subscriptions} (key userId), owned by billing-app. The only record that
 * holds the card token ({@link CardTokens}): the renewal processor reads it from here when it charges.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subscription(String userId, String plan, BigDecimal price, String currency, String country, String cardToken,
        LocalDate paidUntil, Status status) {

    public enum Status { ACTIVE, PAST_DUE, CANCELLED }

    /** Masks the card token: a subscription in a log line or an exception message shows its last 4 at most. */
    @Override
    public String toString() {
        return "Subscription[userId=" + userId + ", plan=" + plan + ", price=" + price + ", currency=" + currency + ", country="
                + country + ", cardToken=" + CardTokens.masked(cardToken) + ", paidUntil=" + paidUntil + ", status=" + status + "]";
    }
}
