package dev.edapatterns.billing.provider;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import dev.edapatterns.billing.InputRules;

/** The simulated provider's switches and call log (operators and tests). */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/provider")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderAdminResource {

    /** The most calls one answer lists (the newest ones). */
    static final int MAX_CALLS = 10_000;
    private static final String LIMIT_MESSAGE = "between 1 and " + MAX_CALLS;

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
    @APIResponse(responseCode = "400", description = "failureRate outside 0..1, a bad card token, or an unreadable body")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @RolesAllowed(BillingRoles.ADMIN)
    @PUT
    @Path("/switches")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProviderSwitches set(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "example", value = "{\"failureRate\":0,\"outage\":false,\"declinedCards\":[]}")))
            @Valid @NotNull(message = "a JSON body is required") ProviderSwitches switches) {
        provider.switches(switches);
        return switches;
    }

    /** The newest {@code limit} calls received (in the order received), optionally only one user's. */
    @APIResponse(responseCode = "200", description = "The provider calls made (optionally of one user; cards as last 4)")
    @APIResponse(responseCode = "400", description = "Not a userId, or limit out of range")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    @Path("/calls")
    public List<ProviderCall> calls(@Parameter(name = "userId", example = "alice@example.com") @QueryParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId,
            @Parameter(name = "limit", example = "100") @QueryParam("limit") @DefaultValue("1000")
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = MAX_CALLS, message = LIMIT_MESSAGE) int limit) {
        List<ProviderCall> calls = provider.calls().stream().filter(c -> userId == null || userId.equals(c.userId())).toList();
        return calls.subList(Math.max(0, calls.size() - limit), calls.size());
    }
}
