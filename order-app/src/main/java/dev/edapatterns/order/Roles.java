package dev.edapatterns.order;

/**
 * The roles order-app's endpoints ask for. The users who hold them are the shop's one realm (event-kit's
 * {@code META-INF/microprofile-config.properties}); a customer's principal name is their normalised email.
 */
public final class Roles {

    /** Pays their own orders and reads their invoices and deliveries. */
    public static final String CUSTOMER = "customer";
    /** Pays for any customer and reads every order's invoice and delivery. */
    public static final String ORDERS_ADMIN = "orders-admin";
    /** Reads the shop's customers (the imported contacts) and every customer's order history. */
    public static final String CRM = "crm";
    /** Writes countries and stock (reads are public). */
    public static final String REFERENCE_ADMIN = "reference-admin";

    private Roles() {
    }
}
