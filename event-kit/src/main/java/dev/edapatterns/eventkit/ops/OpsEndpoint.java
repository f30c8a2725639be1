package dev.edapatterns.eventkit.ops;

/**
 * A read-only operator view served as JSON at {@code GET /ops/<name>} on the management interface (never on the
 * API port: it describes internals, and only the pod network, probes and Prometheus reach that port).
 */
public interface OpsEndpoint {

    /** The last path segment: {@code /ops/<name>}. */
    String name();

    /** What the view shows now; serialised as JSON. */
    Object report();
}
