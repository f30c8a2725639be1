package dev.edapatterns.contracts.orders;

import java.math.BigDecimal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/** One line of an order. */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderItem(String sku, int qty, BigDecimal unitPrice) {
}
