package dev.edapatterns.contracts.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A user's ledger on compacted {@code billing.ledger} (key userId), projected from {@code billing.charges} by the
 * ledger: the entries in the order their charges were applied (offset order of the user's partition) and the balance
 * per currency. Written to the same partition number as the user's charges, by the one consumer that owns it.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerAccount(String userId, Map<String, BigDecimal> balances, List<Entry> entries) {

    public LedgerAccount {
        balances = balances == null ? Map.of() : Map.copyOf(balances);
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** One applied charge (a negative amount is a refund); {@code offset} is where it sits on {@code billing.charges}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String chargeId, String period, BigDecimal amount, String currency, Instant chargedAt, int partition,
            long offset, Instant postedAt) {
    }
}
