package dev.edapatterns.eventkit.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** An admin action and a read, to prove the browser guards, the login throttle and the 401/403/429 answers. */
@Path("/kit-test/guarded")
public class GuardedTestResource {

    @POST
    @RolesAllowed("billing-admin")
    public String act() {
        return "done";
    }

    @GET
    @RolesAllowed("clerk")
    public String read() {
        return "seen";
    }
}
