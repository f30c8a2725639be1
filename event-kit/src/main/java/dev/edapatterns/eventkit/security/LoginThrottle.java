package dev.edapatterns.eventkit.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.edapatterns.eventkit.EventKitConfig.LoginThrottleConfig;
import dev.edapatterns.eventkit.retry.BackoffPolicy;

/**
 * Slows down password guessing: after a few failed logins of one user from one client address, each further
 * attempt of that pair must wait, twice as long after every failure (up to a maximum); a success forgets the pair.
 * Keyed by user AND address, so failures from elsewhere never lock the real user out; an address failing for many
 * users is slowed down on its own, with a larger allowance. The counters are per process and bounded (least recently
 * failed forgotten first): a throttle, not an audit log.
 */
public class LoginThrottle {

    private record Failures(int count, Instant last) {
    }

    private final LoginThrottleConfig config;
    private final Clock clock;
    private final BackoffPolicy backoff;
    private final Map<String, Failures> failures;

    public LoginThrottle(LoginThrottleConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.backoff = BackoffPolicy.infinite(config.baseDelay(), 2, config.maxDelay());
        this.failures = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > config.maxEntries();
            }
        };
    }

    /** How long this user from this address must still wait before trying again; empty: may try now. */
    public synchronized Optional<Duration> waitBefore(String user, String address) {
        Instant now = clock.instant();
        Duration pair = remaining(pairKey(user, address), config.freeFailures(), now);
        Duration any = remaining(addressKey(address), config.addressFreeFailures(), now);
        Duration wait = pair.compareTo(any) >= 0 ? pair : any;
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        count(pairKey(user, address), now);
        count(addressKey(address), now);
    }

    public synchronized void succeeded(String user, String address) {
        failures.remove(pairKey(user, address));
    }

    /** Keys remembered now (bounded by max-entries). */
    synchronized int size() {
        return failures.size();
    }

    private void count(String key, Instant now) {
        Failures before = failures.get(key);
        boolean forgotten = before == null || before.last().plus(config.maxDelay()).isBefore(now);
        failures.put(key, new Failures(forgotten ? 1 : before.count() + 1, now));
    }

    private Duration remaining(String key, int free, Instant now) {
        Failures f = failures.get(key);
        if (f == null || f.count() < free) {
            return Duration.ZERO;
        }
        Duration wait = backoff.delayAfter(f.count() - free + 1);
        Duration left = Duration.between(now, f.last().plus(wait));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String pairKey(String user, String address) {
        return "u\u0000" + user + "\u0000" + address;
    }

    private static String addressKey(String address) {
        return "a\u0000" + address;
    }
}
