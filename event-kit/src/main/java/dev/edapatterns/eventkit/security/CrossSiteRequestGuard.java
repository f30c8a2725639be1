package dev.edapatterns.eventkit.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.edapatterns.eventkit.errors.Problem;

/**
 * Refuses state changes (POST, PUT, PATCH, DELETE) that a browser sends on behalf of another site: a page elsewhere
 * could otherwise make a logged-in admin's browser redrive, skip or delete with the admin's cookie. Browsers say
 * where a request comes from ({@code Sec-Fetch-Site}, {@code Origin}); a request from this origin or from an origin
 * this app allows by CORS ({@code quarkus.http.cors.origins}, e.g. the progress page calling import-app) passes,
 * and so does a request without either header (curl, scripts, other services: no ambient browser credentials).
 * Runs before routing, so a refused request costs nothing and writes nothing.
 */
public class CrossSiteRequestGuard {

    /** The problem type of a refused cross-site request. */
    public static final String CROSS_SITE = "https://edapatterns.dev/problems/cross-site-request";

    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final List<String> trusted = ConfigProvider.getConfig()
            .getOptionalValues("quarkus.http.cors.origins", String.class).orElse(List.of());

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseCrossSite(ContainerRequestContext request) {
        if (!UNSAFE.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        String origin = request.getHeaderString("Origin");
        boolean allowed;
        if ("same-origin".equals(site) || "none".equals(site)) {
            allowed = true;
        } else if (origin != null) {
            allowed = origin.equals(ownOrigin(request.getUriInfo().getBaseUri())) || trusted.contains(origin);
        } else {
            allowed = site == null;
        }
        if (allowed) {
            return Optional.empty();
        }
        return Optional.of(Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(new Problem(CROSS_SITE, "Forbidden", 403,
                        "Changes are not accepted from pages of another site.",
                        request.getUriInfo().getRequestUri().getPath(), null))
                .build());
    }

    static String ownOrigin(URI base) {
        int port = base.getPort();
        boolean defaultPort = port == -1 || ("http".equals(base.getScheme()) && port == 80)
                || ("https".equals(base.getScheme()) && port == 443);
        return base.getScheme() + "://" + base.getHost() + (defaultPort ? "" : ":" + port);
    }
}
