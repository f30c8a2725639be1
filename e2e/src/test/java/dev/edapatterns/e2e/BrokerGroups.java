package dev.edapatterns.e2e;

/**
 * Resource locks ({@code @ResourceLock}) for the consumer groups each app joins on the shared test broker: two test
 * classes run at once (junit-platform.properties) unless they start the same app on it, since a second process of
 * an app would join the first one's groups and take part of its work. Classes with a broker of their own lock none.
 */
final class BrokerGroups {

    static final String IMPORT_APP = "import-app and notify-app groups on the shared broker";
    static final String ORDER_APP = "order-app groups on the shared broker";
    static final String BILLING_APP = "billing-app groups on the shared broker";

    private BrokerGroups() {
    }
}
