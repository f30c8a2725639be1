package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import dev.edapatterns.order.Ids;
import dev.edapatterns.eventkit.requests.CurrencyCode;

/**
 * Body of {@code POST /orders/{orderId}/payments}. The constraints here are the rules that need nothing but the
 * request; the configured bounds ({@link PaymentBounds}) are checked just before them and the rule that needs the
 * countries store ({@link PaymentValidator}) after them, every one of them before any arithmetic.
 */
public record PaymentRequest(
        @NotBlank(message = "A customerId is required.")
        @Size(max = 100, message = "The customerId is longer than 100 characters.") String customerId,
        @NotEmpty(message = "At least one item is required.")
        List<@NotNull(message = "An item is required.") @Valid Item> items,
        @NotNull(message = "An ISO 4217 currency code (e.g. EUR) is required.") @CurrencyCode(ignoreCase = true) String currency,
        @NotNull(message = "A shipping country (GET /countries) is required.")
        @Pattern(regexp = "[A-Za-z]{2}", message = "A shipping country is a 2-letter code (GET /countries).")
        String shippingCountry) {

    /** The same request for this customer (the one the caller may pay for). */
    PaymentRequest withCustomerId(String customer) {
        return new PaymentRequest(customer, items, currency, shippingCountry);
    }

    /** One line; a sku is what {@code /inventory/{sku}} knows, so the stock of every ordered sku can be read. */
    public record Item(
            @NotNull(message = "A sku is required.")
            @Pattern(regexp = Ids.SKU, message = Ids.SKU_MESSAGE) String sku,
            @NotNull(message = "A quantity is required.")
            @Positive(message = "The quantity must be a positive integer.") Integer qty,
            @NotNull(message = "A unit price is required.")
            @Positive(message = "The unit price must be positive.") BigDecimal unitPrice) {
    }
}
