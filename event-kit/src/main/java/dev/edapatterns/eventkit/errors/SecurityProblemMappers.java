package dev.edapatterns.eventkit.errors;

import java.time.Duration;
import java.util.Optional;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.edapatterns.eventkit.security.ThrottledLogin;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * 401 and 403 as {@code application/problem+json}, like every other error of the apps (shared by every app with
 * {@code @RolesAllowed} resources). These replace Quarkus REST's built-in security mappers (a user mapper wins over
 * them), which answer with an empty body. They only see the failures when authentication is not proactive
 * ({@code quarkus.http.auth.proactive=false}): then it happens when a {@code @RolesAllowed} method asks for the
 * identity, inside Quarkus REST. They also answer the login form's POST ({@code /j_security_check}), which the HTTP
 * layer authenticates outside any resource: with lazy authentication Quarkus REST replaces the HTTP layer's
 * authentication failure handler on every route by one that fails the request, and maps that failure with these
 * mappers. So a throttled form login answers 429 like a throttled HTTP Basic call, and a wrong form password 401 (the
 * form's error page is not used). In an app without a security extension they are never called.
 */
public class SecurityProblemMappers {

    /** The problem type of a throttled login. */
    public static final String LOGIN_THROTTLED = "https://edapatterns.dev/problems/login-throttled";

    /**
     * No credentials, or wrong ones: 401 with the auth mechanism's own challenge ({@code WWW-Authenticate: Basic ...}).
     * API clients get a 401, never a redirect: when the challenge the authenticator picks is another mechanism's
     * (form login's redirect to its page) and HTTP Basic is enabled, the Basic challenge is sent instead. The login
     * form's own POST gets no challenge: it comes from a page, and a Basic challenge would make the browser open its
     * own login dialog over it.
     */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Uni<Response> unauthorized(Exception failure, RoutingContext routing, UriInfo uri) {
        Optional<Duration> throttled = ThrottledLogin.retryAfter(failure);
        if (throttled.isPresent()) {
            return Uni.createFrom().item(tooManyFailedLogins(throttled.get(), uri));
        }
        if (formLogin(routing)) {
            return Uni.createFrom().item(Response.status(401).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank",
                    "Unauthorized", 401, "Wrong user name or password.", path(uri), null)).build());
        }
        Problem problem = new Problem("about:blank", "Unauthorized", 401,
                "This request needs valid credentials (HTTP Basic).", path(uri), null);
        HttpAuthenticator authenticator = routing.get(HttpAuthenticator.class.getName());
        Uni<ChallengeData> challenge = authenticator == null ? Uni.createFrom().nullItem()
                : authenticator.getChallenge(routing);
        return challenge.onFailure().recoverWithNull().map(c -> {
            Response.ResponseBuilder response = Response.status(401).type(Problem.MEDIA_TYPE).entity(problem);
            if (c != null && c.status == 401) {
                c.getHeaders().forEach((name, value) -> response.header(name.toString(), value));
            } else if (basicEnabled()) {
                response.header("WWW-Authenticate", "Basic realm=\"" + realm() + "\"");
            }
            return response.build();
        });
    }

    /** 429 with Retry-After: this user failed too often from this address (the password was not even checked). */
    private static Response tooManyFailedLogins(Duration retryAfter, UriInfo uri) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", seconds)
                .entity(new Problem(LOGIN_THROTTLED, "Too Many Requests", 429,
                        "Too many failed logins for this user from this address; retry in " + seconds + " s.",
                        path(uri), null))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Response.status(403).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank", "Forbidden", 403,
                "The authenticated user lacks the role this request needs.", path(uri), null)).build();
    }

    /** A POST to the login form's post location (where the form mechanism authenticates, whatever the prefix). */
    private static boolean formLogin(RoutingContext routing) {
        var config = ConfigProvider.getConfig();
        if (routing == null || routing.request().method() != HttpMethod.POST
                || !config.getOptionalValue("quarkus.http.auth.form.enabled", Boolean.class).orElse(false)) {
            return false;
        }
        String postLocation = config.getOptionalValue("quarkus.http.auth.form.post-location", String.class)
                .orElse("/j_security_check");
        return routing.normalizedPath().endsWith(postLocation.startsWith("/") ? postLocation : "/" + postLocation);
    }

    private static boolean basicEnabled() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.basic", Boolean.class).orElse(false);
    }

    private static String realm() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.realm", String.class)
                .orElse(ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse("Quarkus"));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
