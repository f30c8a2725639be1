package dev.edapatterns.importapp.jobs;

import dev.edapatterns.eventkit.errors.ProblemException;

/** Stand-in for event-kit's IdempotencyKeys until the bounds foundation lands on main (then removed). */
final class IdempotencyKeys {
    private IdempotencyKeys() {
    }

    static String require(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > 255 || !header.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)
                || header.startsWith(" ") || header.endsWith(" ")) {
            throw new ProblemException(400, "Bad Request", "Idempotency-Key must be 1 to 255 printable ASCII characters.",
                    ProblemTypesCompat.BASE + "invalid-idempotency-key");
        }
        return header;
    }

    static ProblemException reused() {
        return new ProblemException(422, "Unprocessable Content", "This Idempotency-Key was used with a different request.",
                ProblemTypesCompat.BASE + "idempotency-key-reused");
    }

    static ProblemException inFlight() {
        return new ProblemException(409, "Conflict",
                "A request with this Idempotency-Key is still being processed; retry later.",
                ProblemTypesCompat.BASE + "idempotency-key-in-flight");
    }
}
