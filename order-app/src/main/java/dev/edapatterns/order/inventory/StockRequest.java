package dev.edapatterns.order.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Body of {@code PUT /inventory/{sku}}: the stock on hand from now on, a whole number (the strict request reader
 * refuses {@code 5.9} rather than storing 5).
 */
public record StockRequest(
        @NotNull(message = "A stock is required.")
        @Min(value = 0, message = "The stock must be between 0 and " + StockRequest.MAX + ".")
        @Max(value = StockRequest.MAX, message = "The stock must be between 0 and " + StockRequest.MAX + ".") Long stock) {

    /** The largest stock of one sku: far beyond any shelf, far below what the view's arithmetic could overflow. */
    public static final long MAX = 1_000_000_000L;
}
