package dev.edapatterns.eventkit.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.SecurityProblemMappers;
import io.quarkus.security.AuthenticationFailedException;

/**
 * A login refused without checking the password: this user from this address failed too often (answered 429 with
 * Retry-After). Carried as an attribute of Quarkus' (final) {@link AuthenticationFailedException}.
 */
public final class ThrottledLogin {

    private static final String RETRY_AFTER = "eventkit.login-throttle.retry-after";

    private ThrottledLogin() {
    }

    public static AuthenticationFailedException failure(Duration retryAfter) {
        return new AuthenticationFailedException("Too many failed logins; retry later.",
                Map.of(RETRY_AFTER, retryAfter));
    }

    /** The Retry-After header's value: whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** The 429 answer's body, the same whichever way the user tried to log in (HTTP Basic or the login form). */
    public static Problem problem(long retryAfterSeconds, String instance) {
        return new Problem(SecurityProblemMappers.LOGIN_THROTTLED, "Too Many Requests", 429,
                "Too many failed logins for this user from this address; retry in " + retryAfterSeconds + " s.",
                instance, null);
    }

    /** How long the refused login has to wait, when {@code failure} is a throttled login. */
    public static Optional<Duration> retryAfter(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailedException afe && afe.getAttribute(RETRY_AFTER) instanceof Duration d) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
