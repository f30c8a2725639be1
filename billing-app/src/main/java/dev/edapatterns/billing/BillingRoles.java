package dev.edapatterns.billing;

/** The roles billing-app checks (users and their roles: event-kit's realm, one for every app). */
public final class BillingRoles {

    /** Holds a subscription and reads its own ledger: acts only for itself (its principal name is its userId). */
    public static final String CUSTOMER = "customer";
    /** The dashboard, DLQ, blocked records, provider switches; any customer's subscription and ledger. */
    public static final String ADMIN = "billing-admin";

    private BillingRoles() {
    }
}
