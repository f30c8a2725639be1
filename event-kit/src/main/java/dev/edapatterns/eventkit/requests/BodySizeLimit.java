package dev.edapatterns.eventkit.requests;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused before a byte of it is read, as a
 * problem+json 413 like every other refusal (the HTTP layer's own 413 has no body), and the connection is closed so
 * the client stops sending.
 */
@Singleton
public class BodySizeLimit {

    private final long maxBytes;
    private final ObjectMapper json;

    BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max,
            ObjectMapper json) {
        this.maxBytes = max.asLongValue();
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 2000); // before any route reads the body
    }

    private void check(RoutingContext rc) {
        String declared = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null || !tooLarge(declared)) {
            rc.next();
            return;
        }
        Problem problem = new Problem(ProblemTypes.TOO_LARGE, "Content Too Large", 413,
                "The body is larger than " + maxBytes + " bytes.", rc.normalizedPath(), null);
        try {
            rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).end(json.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            rc.fail(e);
        }
    }

    private boolean tooLarge(String declared) {
        try {
            return Long.parseLong(declared.strip()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed Content-Length itself
        }
    }
}
