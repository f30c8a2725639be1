package dev.edapatterns.eventkit.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
