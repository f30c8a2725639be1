package dev.edapatterns.contracts.orders;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * One invoice-number counter (an atomic store's state on compacted {@code orders.invoices.counters}, key
 * {@code invoice-counter-<counter>}): {@code issued} numbers handed out so far, the last one {@code lastNumber}.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InvoiceCounter(int counter, long issued, long lastNumber) {

    /** The n-th (0-based) number of counter c: disjoint across counters, increasing within one. */
    public static long number(int counter, long n) {
        return counter + 1 + (long) InvoiceCommand.COUNTERS * n;
    }
}
