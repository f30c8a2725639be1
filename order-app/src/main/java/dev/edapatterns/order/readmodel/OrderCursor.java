package dev.edapatterns.order.readmodel;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * The keyset of a customer's order history, newest first: {@code <checkedOutAt ISO-8601>~<orderId>} of the last order
 * of a page, which the next page starts after.
 */
record OrderCursor(Instant checkedOutAt, String orderId) {

    private static final char SEPARATOR = '~';

    /** The cursor in {@code text}, or 400 naming {@code parameter}. */
    static OrderCursor parse(String parameter, String text) {
        int split = text.indexOf(SEPARATOR);
        if (split > 0 && split < text.length() - 1) {
            String orderId = text.substring(split + 1);
            try {
                if (orderId.matches(dev.edapatterns.order.Ids.ORDER_ID)) {
                    return new OrderCursor(Instant.parse(text.substring(0, split)), orderId);
                }
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        throw ProblemException.invalidParameter(parameter, "'" + Echo.clip(text)
                + "' is not a cursor of this list (use the 'next' of the previous page).");
    }

    @Override
    public String toString() {
        return checkedOutAt + String.valueOf(SEPARATOR) + orderId;
    }
}
