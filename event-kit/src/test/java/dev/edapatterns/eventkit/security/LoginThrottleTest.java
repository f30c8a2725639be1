package dev.edapatterns.eventkit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.EventKitConfig.LoginThrottleConfig;

@Tag("unit")
class LoginThrottleTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    record Config(int freeFailures, int addressFreeFailures, Duration baseDelay, Duration maxDelay, int maxEntries)
            implements LoginThrottleConfig {
    }

    final TestClock clock = new TestClock();
    final LoginThrottle throttle = new LoginThrottle(
            new Config(3, 10, Duration.ofSeconds(1), Duration.ofSeconds(8), 100), clock);

    @Test
    void aPairWaitsAfterItsFreeFailuresTwiceAsLongEachTime() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), throttle.waitBefore("admin", "10.0.0.9"));
            throttle.failed("admin", "10.0.0.9");
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.waitBefore("admin", "10.0.0.9"));
        clock.now = clock.now.plusSeconds(1);
        assertEquals(Optional.empty(), throttle.waitBefore("admin", "10.0.0.9"));
        throttle.failed("admin", "10.0.0.9");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.waitBefore("admin", "10.0.0.9"));
        for (int i = 0; i < 10; i++) {
            clock.now = clock.now.plusSeconds(8);
            throttle.failed("admin", "10.0.0.9");
        }
        assertEquals(Optional.of(Duration.ofSeconds(8)), throttle.waitBefore("admin", "10.0.0.9"), "capped");
    }

    @Test
    void failuresFromElsewhereNeverLockTheUserOut() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("admin", "203.0.113.7");
        }
        assertTrue(throttle.waitBefore("admin", "203.0.113.7").isPresent());
        assertEquals(Optional.empty(), throttle.waitBefore("admin", "10.0.0.9"));
    }

    @Test
    void anAddressTryingManyUsersWaitsToo() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("user" + i, "203.0.113.7");
        }
        assertTrue(throttle.waitBefore("someone-new", "203.0.113.7").isPresent());
        assertEquals(Optional.empty(), throttle.waitBefore("someone-new", "10.0.0.9"));
    }

    @Test
    void aSuccessForgetsThePairAndQuietKeysAreForgotten() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("clerk", "10.0.0.9");
        }
        throttle.succeeded("clerk", "10.0.0.9");
        assertEquals(Optional.empty(), throttle.waitBefore("clerk", "10.0.0.9"));
        for (int i = 0; i < 3; i++) {
            throttle.failed("bob", "10.0.0.9");
        }
        clock.now = clock.now.plusSeconds(9);
        throttle.failed("bob", "10.0.0.9");
        assertEquals(Optional.empty(), throttle.waitBefore("bob", "10.0.0.9"), "counting starts over after max-delay");
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfNames() {
        for (int i = 0; i < 1000; i++) {
            throttle.failed("flood" + i, "198.51.100." + (i % 250));
        }
        assertTrue(throttle.size() <= 100);
    }
}
