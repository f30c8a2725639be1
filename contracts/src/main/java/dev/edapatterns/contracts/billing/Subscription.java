package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** A subscription on compacted {@code billing.subscriptions} (key userId), owned by billing-app. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subscription(String userId, String plan, BigDecimal price, String currency, String country, String cardToken,
        LocalDate paidUntil, Status status) {

    public enum Status { ACTIVE, PAST_DUE, CANCELLED }
}
