package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The invoice of one order on compacted {@code orders.invoices} (key orderId), emitted by the invoice counter in
 * the transaction that allocated its number: one per order, numbers never reused.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Invoice(long number, String orderId, String customerId, String currency, BigDecimal total,
        Instant checkedOutAt) {
}
