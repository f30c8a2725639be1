package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.util.List;

/** Body of {@code POST /orders/{orderId}/payments}; every field may be absent or wrong here ({@link PaymentValidator}). */
public record PaymentRequest(String customerId, List<Item> items, String currency, String shippingCountry) {

    /** The same request for this customer (the one the caller may pay for). */
    PaymentRequest withCustomerId(String customer) {
        return new PaymentRequest(customer, items, currency, shippingCountry);
    }

    public record Item(String sku, Integer qty, BigDecimal unitPrice) {
    }
}
