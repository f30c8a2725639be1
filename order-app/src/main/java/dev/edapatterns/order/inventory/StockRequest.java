package dev.edapatterns.order.inventory;

/** Body of {@code PUT /inventory/{sku}}: the stock on hand from now on. */
public record StockRequest(Long stock) {
}
