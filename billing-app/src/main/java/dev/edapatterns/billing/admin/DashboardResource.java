package dev.edapatterns.billing.admin;

import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.eventkit.errors.ProblemException;
import io.smallrye.common.annotation.Blocking;

/**
 * The operator's dashboard: the page (plain HTML + JS, {@code /admin}; an anonymous browser is sent to the login
 * form by the {@code dashboard} HTTP permission) and the counters it polls ({@code /admin/api/summary}). The page
 * acts through the existing admin API: blocked records (skip/retry) and the DLQ (redrive).
 */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin")
@Blocking // Admin API calls
public class DashboardResource {

    private final DashboardSummary summary;

    DashboardResource(DashboardSummary summary) {
        this.summary = summary;
    }

    /** A page, not an API operation: left out of OpenAPI (the Security table lists it as PAGE /admin). */
    @Operation(hidden = true)
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    @Produces(MediaType.TEXT_HTML)
    public InputStream page() {
        return DashboardResource.class.getResourceAsStream("/dashboard/index.html");
    }

    @APIResponse(responseCode = "200", description = "Counts for the dashboard")
    @APIResponse(responseCode = "503", description = "Kafka did not answer")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    @Path("/api/summary")
    @Produces(MediaType.APPLICATION_JSON)
    public DashboardSummary.Summary summary() throws InterruptedException {
        try {
            return summary.summary();
        } catch (ExecutionException | TimeoutException e) {
            throw new ProblemException(503, "Service Unavailable", "Kafka did not answer: " + e);
        }
    }
}
