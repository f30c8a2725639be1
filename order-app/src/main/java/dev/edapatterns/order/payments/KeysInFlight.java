package dev.edapatterns.order.payments;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;
import dev.edapatterns.order.payments.Payments.ScopedKey;

/**
 * The Idempotency-Keys whose first request this instance is still processing, with that request's fingerprint. A
 * second request with the key is refused at once instead of racing the first: 409 in flight when it asks the same,
 * 422 reused when it asks something else (it would be refused by the first's decision anyway). An entry lives only
 * as long as its request, so the map holds at most one entry per concurrent request.
 *
 * <p>Per instance on purpose: the durable record of a key is the stored payment (see {@link PaymentsService}); a
 * retry that reaches another instance while the first is in flight waits there for the same stored decision.
 */
@Singleton
public class KeysInFlight {

    private final Map<ScopedKey, String> fingerprints = new ConcurrentHashMap<>();

    /** Claims the key for this request; {@link #release} it when the request is answered. */
    void claim(ScopedKey key, String fingerprint) {
        String first = fingerprints.putIfAbsent(key, fingerprint);
        if (first != null) {
            throw first.equals(fingerprint) ? IdempotencyKeys.inFlight() : IdempotencyKeys.reused();
        }
    }

    void release(ScopedKey key) {
        fingerprints.remove(key);
    }

    /** Whether a request with this key is being processed here. */
    boolean isClaimed(ScopedKey key) {
        return fingerprints.containsKey(key);
    }
}
