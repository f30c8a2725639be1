package dev.edapatterns.eventkit.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalInt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BackoffPolicyTest {

    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
        BackoffPolicy policy = BackoffPolicy.infinite(Duration.ofSeconds(1), 2, Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(1), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(2), policy.delayAfter(2));
        assertEquals(Duration.ofSeconds(8), policy.delayAfter(4));
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(5));
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(10_000)); // no overflow
        assertFalse(policy.exhausted(10_000));
    }

    @Test
    void finitePoliciesAreExhaustedAfterMaxAttempts() {
        BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1), OptionalInt.of(3));
        assertFalse(policy.exhausted(2));
        assertTrue(policy.exhausted(3));
        assertEquals(Duration.ofMillis(150), policy.delayAfter(2));
    }

    @Test
    void nonsenseIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BackoffPolicy.infinite(Duration.ZERO, 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> BackoffPolicy.infinite(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> BackoffPolicy.infinite(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), OptionalInt.of(0)));
    }

    @Test
    void aMultiplierOfOneIsAConstantDelayAndFractionalDelaysAreCutToWholeMillis() {
        BackoffPolicy constant = BackoffPolicy.infinite(Duration.ofMillis(300), 1.0, Duration.ofMillis(300));
        assertEquals(Duration.ofMillis(300), constant.delayAfter(1));
        assertEquals(Duration.ofMillis(300), constant.delayAfter(50));
        assertEquals(Duration.ofMillis(300), constant.delayAfter(0), "before any failure: the initial delay");

        BackoffPolicy fractional = BackoffPolicy.infinite(Duration.ofMillis(100), 1.5, Duration.ofSeconds(10));
        assertEquals(Duration.ofMillis(337), fractional.delayAfter(4)); // 337.5
    }

    @Test
    void missingPartsAreRejected() {
        assertThrows(NullPointerException.class, () -> BackoffPolicy.infinite(null, 2, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> BackoffPolicy.infinite(Duration.ofSeconds(1), 2, null));
        assertThrows(NullPointerException.class, () -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), null));
        assertThrows(IllegalArgumentException.class, () -> BackoffPolicy.infinite(Duration.ofMillis(-1), 2, Duration.ofSeconds(1)));
    }
}
