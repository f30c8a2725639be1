package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.edapatterns.eventkit.errors.FieldError;

/**
 * The configured bounds of a payment ({@code order.payments.*}): lines per order, quantity per line, digits of a unit
 * price. They are checked on the request as parsed, before any arithmetic: a price such as {@code 1e100000000} is one
 * digit and a huge exponent, cheap to hold and to compare but not to add, so it must be refused by its shape.
 * Within the bounds every total is at most {@link #maxTotal()}, small to compute, to write and to read back.
 *
 * <p>Absent fields are left to the request's Bean Validation constraints; this class only measures what is there.
 */
final class PaymentBounds {

    private final int maxItems;
    private final int maxQty;
    private final int maxIntegerDigits;
    private final int maxFractionDigits;

    PaymentBounds(int maxItems, int maxQty, int maxIntegerDigits, int maxFractionDigits) {
        this.maxItems = maxItems;
        this.maxQty = maxQty;
        this.maxIntegerDigits = maxIntegerDigits;
        this.maxFractionDigits = maxFractionDigits;
    }

    static PaymentBounds of(PaymentsConfig config) {
        return new PaymentBounds(config.maxItems(), config.maxQty(), config.maxPriceIntegerDigits(),
                config.maxPriceFractionDigits());
    }

    /** The largest total a request within the bounds can have. */
    BigDecimal maxTotal() {
        BigDecimal maxPrice = BigDecimal.TEN.pow(maxIntegerDigits).subtract(BigDecimal.ONE.movePointLeft(maxFractionDigits));
        return maxPrice.multiply(BigDecimal.valueOf((long) maxItems * maxQty));
    }

    /** Every bound the request exceeds; a list over {@code maxItems} lines is refused without looking at them. */
    List<FieldError> check(PaymentRequest request) {
        List<FieldError> errors = new ArrayList<>();
        List<PaymentRequest.Item> items = request.items();
        if (items == null) {
            return errors;
        }
        if (items.size() > maxItems) {
            errors.add(new FieldError("items", "At most " + maxItems + " items per order."));
            return errors;
        }
        for (int i = 0; i < items.size(); i++) {
            PaymentRequest.Item item = items.get(i);
            if (item == null) {
                continue;
            }
            if (item.qty() != null && item.qty() > maxQty) {
                errors.add(new FieldError("items[" + i + "].qty", "The quantity must be at most " + maxQty + "."));
            }
            String price = priceFault(item.unitPrice());
            if (price != null) {
                errors.add(new FieldError("items[" + i + "].unitPrice", price));
            }
        }
        return errors;
    }

    /**
     * What is wrong with the price's digits, or null. Measured from precision and scale only: {@code 1e2147483647}
     * has 2^31 integer digits, and stripping trailing zeros is only done on a positive scale, where it cannot
     * overflow it.
     */
    private String priceFault(BigDecimal price) {
        if (price == null) {
            return null;
        }
        long integerDigits = (long) price.precision() - price.scale();
        if (integerDigits > maxIntegerDigits) {
            return "The unit price must have at most " + maxIntegerDigits + " digits before the decimal point.";
        }
        if (price.scale() > maxFractionDigits && price.stripTrailingZeros().scale() > maxFractionDigits) {
            return "The unit price must have at most " + maxFractionDigits + " digits after the decimal point.";
        }
        return null;
    }
}
