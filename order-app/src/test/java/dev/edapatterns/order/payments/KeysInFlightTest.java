package dev.edapatterns.order.payments;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.order.payments.Payments.ScopedKey;

@Tag("unit")
class KeysInFlightTest {

    private final KeysInFlight keys = new KeysInFlight();
    private final ScopedKey alices = new ScopedKey("alice@example.com", "k-1");

    private ProblemException refusal(ScopedKey key, String fingerprint) {
        return assertThrows(ProblemException.class, () -> keys.claim(key, fingerprint));
    }

    @Test
    void aSecondRequestWithAKeyInFlightIsRefusedUntilTheFirstIsAnswered() {
        keys.claim(alices, "f-1");
        assertTrue(keys.isClaimed(alices));
        ProblemException same = refusal(alices, "f-1");
        assertEquals(409, same.status());
        assertEquals(ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT, same.toProblem(null).type());
        ProblemException other = refusal(alices, "f-2");
        assertEquals(422, other.status());
        assertEquals(ProblemTypes.IDEMPOTENCY_KEY_REUSED, other.toProblem(null).type());

        keys.release(alices);
        assertFalse(keys.isClaimed(alices));
        assertDoesNotThrow(() -> keys.claim(alices, "f-1"), "answered: the key may be sent again (the store answers it)");
    }

    @Test
    void keysAreScopedPerUser() {
        keys.claim(alices, "f-1");
        assertDoesNotThrow(() -> keys.claim(new ScopedKey("bob@example.com", "k-1"), "f-1"));
        assertDoesNotThrow(() -> keys.claim(new ScopedKey("alice@example.com", "k-2"), "f-1"));
    }
}
