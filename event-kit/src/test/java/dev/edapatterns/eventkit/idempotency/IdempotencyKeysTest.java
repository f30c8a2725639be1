package dev.edapatterns.eventkit.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

@Tag("unit")
class IdempotencyKeysTest {

    @Test
    void anAbsentKeyIsLeftToTheCaller() {
        assertNull(IdempotencyKeys.require(null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "k", "order-42 retry 1", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./" })
    void printableAsciiKeysAreAccepted(String key) {
        assertEquals(key, IdempotencyKeys.require(key));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " leading", "trailing ", "tab\there", "new\nline", "caf\u00e9", "nul\u0000", "\u202Eevil" })
    void emptyPaddedControlOrNonAsciiKeysAre400(String key) {
        ProblemException e = assertThrows(ProblemException.class, () -> IdempotencyKeys.require(key));
        assertEquals(400, e.status());
        assertEquals(ProblemTypes.INVALID_IDEMPOTENCY_KEY, e.toProblem(null).type());
    }

    @Test
    void keysAreAtMost255Characters() {
        assertEquals(255, IdempotencyKeys.require("k".repeat(255)).length());
        assertThrows(ProblemException.class, () -> IdempotencyKeys.require("k".repeat(256)));
    }

    @Test
    void theFingerprintIsTheHexSha256OfThePayload() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", IdempotencyKeys.fingerprint("hello"));
        assertNotEquals(IdempotencyKeys.fingerprint("hello"), IdempotencyKeys.fingerprint("hello "));
    }

    @Test
    void reuseIs422AndInFlightIs409EachWithItsOwnType() {
        assertEquals(422, IdempotencyKeys.reused().status());
        assertEquals(ProblemTypes.IDEMPOTENCY_KEY_REUSED, IdempotencyKeys.reused().toProblem(null).type());
        assertEquals(409, IdempotencyKeys.inFlight().status());
        assertEquals(ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT, IdempotencyKeys.inFlight().toProblem(null).type());
    }
}
