package dev.edapatterns.eventkit.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown by resources for a request-level fault; becomes an {@code application/problem+json} response with
 * exactly this status, title and detail. The message must be fit for clients: no internals.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String type;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ProblemException(int status, String title, String detail, String type) {
        super(detail, null, false, false); // a client error, not a bug: no stack trace to fill
        this.status = status;
        this.title = title;
        this.type = type;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    /** 400 with every bad field of the body listed in {@code errors}. */
    public static ProblemException invalid(String detail, java.util.List<FieldError> errors) {
        return new ProblemException(400, "Bad Request", detail, ProblemTypes.INVALID_REQUEST).with("errors", errors);
    }

    /** 400 naming a path, query or header parameter that cannot be used. */
    public static ProblemException invalidParameter(String name, String message) {
        return new ProblemException(400, "Bad Request", "Parameter '" + name + "': " + message,
                ProblemTypes.INVALID_PARAMETER).with("errors", java.util.List.of(new FieldError(name, message)));
    }

    /** Adds an extension member, e.g. {@code with("errors", rowErrors)}. */
    public ProblemException with(String name, Object value) {
        extensions.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(type == null ? "about:blank" : type, title, status, getMessage(), instance, extensions);
    }
}
