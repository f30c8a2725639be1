package dev.edapatterns.order;

/**
 * The shapes of the ids order-app takes from clients (path segments and body fields), as Bean Validation patterns: an
 * id that passes is short and safe to log, to key a record with and to put in a URL.
 */
public final class Ids {

    /** An orderId: the key of the payment, the purchase, the delivery and the invoice of an order. */
    public static final String ORDER_ID = "[A-Za-z0-9_-]{1,64}";
    public static final String ORDER_ID_MESSAGE = "An orderId is 1..64 letters, digits, '_' or '-'.";

    /** A sku: the key of its stock ({@code /inventory/{sku}}) and of the order lines that take from it. */
    public static final String SKU = "[A-Za-z0-9._-]{1,64}";
    public static final String SKU_MESSAGE = "A sku is 1..64 letters, digits, '.', '_' or '-'.";

    private Ids() {
    }
}
