package dev.edapatterns.billing.ledger;

import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.billing.InputRules;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * Fault injection (only with {@code billing.ledger.fault-injection.enabled=true}, 404 otherwise): {@code PUT} makes postings to
 * a user's account fail until {@code DELETE} releases them — a controllable transient failure for blocking retry.
 */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/ledger/outages")
@Produces(MediaType.APPLICATION_JSON)
public class PostingOutagesResource {

    private final PostingOutages outages;

    PostingOutagesResource(PostingOutages outages) {
        this.outages = outages;
    }

    @APIResponse(responseCode = "200", description = "Users whose postings fail on purpose")
    @APIResponse(responseCode = "404", description = "Fault injection is disabled")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    public Set<String> failing() {
        requireEnabled();
        return outages.failing();
    }

    @APIResponse(responseCode = "204", description = "Postings to this user fail from now on")
    @APIResponse(responseCode = "400", description = "Not a userId")
    @APIResponse(responseCode = "404", description = "Fault injection is disabled")
    @RolesAllowed(BillingRoles.ADMIN)
    @PUT
    @Path("/{userId}")
    public Response fail(@Parameter(name = "userId", example = "outage-example@example.com") @PathParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId) {
        requireEnabled();
        outages.fail(userId);
        return Response.noContent().build();
    }

    @APIResponse(responseCode = "204", description = "Postings to this user work again")
    @APIResponse(responseCode = "400", description = "Not a userId")
    @APIResponse(responseCode = "404", description = "Postings to this user do not fail, or fault injection is disabled")
    @RolesAllowed(BillingRoles.ADMIN)
    @DELETE
    @Path("/{userId}")
    public Response release(@Parameter(name = "userId", example = "outage-example@example.com") @PathParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId) {
        requireEnabled();
        if (!outages.release(userId)) {
            throw new ProblemException(404, "Not Found", "Postings to " + userId + " do not fail.");
        }
        return Response.noContent().build();
    }

    private void requireEnabled() {
        if (!outages.enabled()) {
            throw new ProblemException(404, "Not Found", "Fault injection is disabled (billing.ledger.fault-injection.enabled).");
        }
    }
}
