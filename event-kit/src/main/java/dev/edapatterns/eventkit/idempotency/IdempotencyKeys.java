package dev.edapatterns.eventkit.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

/**
 * The {@code Idempotency-Key} header as the IETF httpapi draft (and Stripe) define it: a client-chosen key that makes a
 * retried request safe. The app stores the key, scoped to the principal, with a fingerprint of the request durably in
 * Kafka; the same key with another fingerprint answers 422, and while the first request is still in flight 409.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    /** Longest key accepted: keys are stored with every decision, so they are bounded like any other field. */
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * The key, or {@code null} when the header is absent (the caller decides whether it is required); 400 unless it is
     * 1..255 printable ASCII characters (a space only inside).
     */
    public static String require(String header) {
        if (header == null) {
            return null;
        }
        if (!isValid(header)) {
            throw new ProblemException(400, "Bad Request", "The Idempotency-Key header must be 1 to " + MAX_LENGTH
                    + " printable ASCII characters.", ProblemTypes.INVALID_IDEMPOTENCY_KEY);
        }
        return header;
    }

    static boolean isValid(String key) {
        if (key.isEmpty() || key.length() > MAX_LENGTH || key.charAt(0) == ' ' || key.charAt(key.length() - 1) == ' ') {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    /** Hex SHA-256 of the request's canonical bytes: what "the same request" means for a key. */
    public static String fingerprint(byte[] canonicalPayload) {
        return HexFormat.of().formatHex(sha256().digest(canonicalPayload));
    }

    public static String fingerprint(String canonicalPayload) {
        return fingerprint(canonicalPayload.getBytes(StandardCharsets.UTF_8));
    }

    /** A digest to feed while streaming a large body; finish with {@code HexFormat.of().formatHex(d.digest())}. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** 422: the key was first used with a different request. */
    public static ProblemException reused() {
        return new ProblemException(422, "Unprocessable Content",
                "This Idempotency-Key was used with a different request.", ProblemTypes.IDEMPOTENCY_KEY_REUSED);
    }

    /** 409: the first request with this key is still being processed. */
    public static ProblemException inFlight() {
        return new ProblemException(409, "Conflict",
                "A request with this Idempotency-Key is still being processed; retry later.",
                ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT);
    }
}
