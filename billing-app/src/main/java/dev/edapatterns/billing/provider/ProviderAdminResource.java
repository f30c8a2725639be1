package dev.edapatterns.billing.provider;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.eventkit.errors.ProblemException;

/** The simulated provider's switches and call log (operators and tests). */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/provider")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderAdminResource {

    private final SimulatedPaymentProvider provider;

    ProviderAdminResource(SimulatedPaymentProvider provider) {
        this.provider = provider;
    }

    @APIResponse(responseCode = "200", description = "The simulated provider's fault switches (declined cards as last 4)")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    @Path("/switches")
    public ProviderSwitches switches() {
        return provider.switches();
    }

    @APIResponse(responseCode = "200", description = "The switches now")
    @APIResponse(responseCode = "400", description = "failureRate outside 0..1 or an unreadable body")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @RolesAllowed(BillingRoles.ADMIN)
    @PUT
    @Path("/switches")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProviderSwitches set(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "example", value = "{\"failureRate\":0,\"outage\":false,\"declinedCards\":[]}")))
            ProviderSwitches switches) {
        if (switches == null || switches.failureRate() < 0 || switches.failureRate() > 1) {
            throw ProblemException.badRequest("failureRate must be between 0 and 1.");
        }
        provider.switches(switches);
        return switches;
    }

    /** Every call received, optionally only one user's. */
    @APIResponse(responseCode = "200", description = "The provider calls made (optionally of one user; cards as last 4)")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    @Path("/calls")
    public List<ProviderCall> calls(@Parameter(name = "userId", example = "alice@example.com") @QueryParam("userId") String userId) {
        return provider.calls().stream().filter(c -> userId == null || userId.equals(c.userId())).toList();
    }
}
