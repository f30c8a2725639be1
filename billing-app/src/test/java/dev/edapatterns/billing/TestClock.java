package dev.edapatterns.billing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/** The app's clock in tests: stands still where a test puts it (replaces the {@code @DefaultBean} system clock). */
@Singleton
public class TestClock extends Clock {

    /** Where every test starts: renewals of tests are due relative to this. */
    public static final Instant BASE = Instant.parse("2030-01-15T12:00:00Z");

    private volatile Instant now = BASE;

    public void set(Instant instant) {
        this.now = instant;
    }

    public void reset() {
        this.now = BASE;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Clock self = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return self.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }
        };
    }
}
