package dev.edapatterns.billing.ledger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.billing.LedgerAccount;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;

/** A user's ledger as projected from billing.charges: entries in the order they were applied (offset order). */
@Path("/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    private final CompactedStore<String, LedgerAccount> accounts;

    LedgerResource(CompactedStore<String, LedgerAccount> accounts) {
        this.accounts = accounts;
    }

    @APIResponse(responseCode = "200", description = "The user's ledger account")
    @APIResponse(responseCode = "404", description = "No ledger entries for this user")
    @APIResponse(responseCode = "503", description = "The ledger is still loading")
    @GET
    @Path("/{userId}")
    public LedgerAccount account(@PathParam("userId") String userId) {
        if (!accounts.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "The ledger is still loading.");
        }
        return accounts.get(userId).orElseThrow(
                () -> new ProblemException(404, "Not Found", "No ledger entries for user " + userId + "."));
    }
}
