package dev.edapatterns.billing.ledger;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.billing.InputRules;
import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * A user's ledger as projected from billing.charges: entries in the order they were applied (offset order). A customer
 * reads its own (the userId is its principal name), billing-admin anyone's.
 */
@Path("/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final CompactedStore<String, LedgerAccount> accounts;
    private final SecurityIdentity identity;

    LedgerResource(CompactedStore<String, LedgerAccount> accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    @APIResponse(responseCode = "200", description = "The user's ledger account")
    @APIResponse(responseCode = "400", description = "Not a userId")
    @APIResponse(responseCode = "401", description = "No or wrong credentials")
    @APIResponse(responseCode = "403", description = "Another user's userId (only billing-admin reads anyone's)")
    @APIResponse(responseCode = "404", description = "No ledger entries for this user")
    @APIResponse(responseCode = "503", description = "The ledger is still loading")
    @RolesAllowed({ BillingRoles.CUSTOMER, BillingRoles.ADMIN })
    @GET
    @Path("/{userId}")
    public LedgerAccount account(@Parameter(name = "userId", example = "alice@example.com") @PathParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId) {
        // before any lookup: a 404 would tell another user whether this one has been charged
        Owners.requireSelfOrRole(identity, userId, BillingRoles.ADMIN);
        if (!accounts.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "The ledger is still loading.");
        }
        return accounts.get(userId).orElseThrow(
                () -> new ProblemException(404, "Not Found", "No ledger entries for user " + userId + "."));
    }
}
