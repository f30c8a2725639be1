package dev.edapatterns.contracts;

/** The app that owns (writes) a topic; others only read it. */
public enum OwnerApp {
    IMPORT_APP("import-app"),
    NOTIFY_APP("notify-app"),
    BILLING_APP("billing-app"),
    ORDER_APP("order-app");

    private final String appName;

    OwnerApp(String appName) {
        this.appName = appName;
    }

    public String appName() {
        return appName;
    }
}
