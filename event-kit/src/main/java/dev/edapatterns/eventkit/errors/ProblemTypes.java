package dev.edapatterns.eventkit.errors;

/**
 * The problem {@code type} URIs every app shares, so a client can branch on the kind of refusal without reading the
 * human-readable {@code detail}. App-specific types (e.g. {@code order-already-paid}) live next to their resource.
 */
public final class ProblemTypes {

    private static final String BASE = "https://edapatterns.dev/problems/";

    /** 400: the body's fields break their rules; {@code errors} lists each one. */
    public static final String INVALID_REQUEST = BASE + "invalid-request";
    /** 400: the body is not JSON, or a value has the wrong JSON type, or is past a reader limit. */
    public static final String MALFORMED_BODY = BASE + "malformed-body";
    /**
     * 400: a path, query or header parameter cannot be read as its type; {@code errors} names it. A parameter that is
     * read but breaks a constraint (range, pattern) is {@link #INVALID_REQUEST}, like a body field.
     */
    public static final String INVALID_PARAMETER = BASE + "invalid-parameter";
    /** 413: the body (or one of its records) is bigger than this endpoint accepts. */
    public static final String TOO_LARGE = BASE + "too-large";
    /** 429: a per-instance or per-user cap is reached; retry later. */
    public static final String TOO_MANY_REQUESTS = BASE + "too-many-requests";
    /** 400: the {@code Idempotency-Key} header is empty, too long or not printable ASCII. */
    public static final String INVALID_IDEMPOTENCY_KEY = BASE + "invalid-idempotency-key";
    /** 422: the {@code Idempotency-Key} was already used with a different request. */
    public static final String IDEMPOTENCY_KEY_REUSED = BASE + "idempotency-key-reused";
    /** 409: the first request with this {@code Idempotency-Key} has not finished yet. */
    public static final String IDEMPOTENCY_KEY_IN_FLIGHT = BASE + "idempotency-key-in-flight";

    private ProblemTypes() {
    }
}
