package dev.edapatterns.eventkit.security;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edapatterns.eventkit.errors.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * A throttled login through the login form ({@link ThrottledLogin}) answers 429 problem+json with Retry-After, like
 * one with HTTP Basic; any other failed form login keeps the form mechanism's own answer (its error page, or 401).
 *
 * <p>The form's POST is authenticated by the HTTP layer, not Quarkus REST, so {@code SecurityProblemMappers} never
 * sees it: its failure goes to the routing context's authentication failure handler, which the HTTP layer lets later
 * handlers replace. This filter does that for the form's post location only, after authentication set up the default
 * handler and before the form's post handler asks for the identity (lazy authentication:
 * {@code quarkus.http.auth.proactive=false}). Nothing is authenticated here: the form mechanism and the identity
 * providers do that as always.
 */
@Singleton
public class ThrottledFormLogins {

    /** Between authentication (200) and the form's post handler (route order -150, i.e. 150). */
    static final int PRIORITY = 175;

    private final boolean formEnabled;
    private final String postLocation;
    private final ObjectMapper json;

    ThrottledFormLogins(@ConfigProperty(name = "quarkus.http.auth.form.enabled", defaultValue = "false") boolean formEnabled,
            @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check") String postLocation,
            ObjectMapper json) {
        this.formEnabled = formEnabled;
        this.postLocation = postLocation.startsWith("/") ? postLocation : "/" + postLocation;
        this.json = json;
    }

    void register(@Observes Filters filters) {
        if (formEnabled) {
            filters.register(this::wrapFailureHandler, PRIORITY);
        }
    }

    private void wrapFailureHandler(RoutingContext rc) {
        // the same test as the form mechanism's: it authenticates any POST whose path ends with the post location
        if (rc.request().method() == HttpMethod.POST && rc.normalizedPath().endsWith(postLocation)) {
            BiConsumer<RoutingContext, Throwable> standard = rc.get(QuarkusHttpUser.AUTH_FAILURE_HANDLER);
            rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, (BiConsumer<RoutingContext, Throwable>) (event, failure) -> {
                Optional<Duration> wait = ThrottledLogin.retryAfter(DefaultAuthFailureHandler.extractRootCause(failure));
                if (wait.isPresent() && !event.response().ended()) {
                    tooManyFailedLogins(event, wait.get());
                } else if (standard != null) {
                    standard.accept(event, failure);
                }
            });
        }
        rc.next();
    }

    private void tooManyFailedLogins(RoutingContext event, Duration wait) {
        long seconds = ThrottledLogin.retryAfterSeconds(wait);
        try {
            event.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader("Retry-After", Long.toString(seconds))
                    .end(json.writeValueAsString(ThrottledLogin.problem(seconds, event.normalizedPath())));
        } catch (JsonProcessingException e) {
            event.fail(e);
        }
    }
}
