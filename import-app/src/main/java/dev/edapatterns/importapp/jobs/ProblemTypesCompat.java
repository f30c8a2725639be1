package dev.edapatterns.importapp.jobs;

/** Stand-in for event-kit's ProblemTypes until the bounds foundation lands on main (then removed). */
final class ProblemTypesCompat {
    static final String BASE = "https://edapatterns.dev/problems/";
    static final String INVALID_REQUEST = BASE + "invalid-request";
    static final String MALFORMED_BODY = BASE + "malformed-body";
    static final String TOO_LARGE = BASE + "too-large";
    static final String TOO_MANY_REQUESTS = BASE + "too-many-requests";

    private ProblemTypesCompat() {
    }
}
