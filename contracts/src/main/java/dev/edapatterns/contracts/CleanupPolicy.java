package dev.edapatterns.contracts;

/** A topic's {@code cleanup.policy}. */
public enum CleanupPolicy {
    /** Keep by time/size: event streams and command topics. */
    DELETE("delete"),
    /** Keep the last value per key: the source of in-memory stores. */
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }
}
