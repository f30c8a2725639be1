package dev.edapatterns.eventkit.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/**
 * An admin action, a read and a method without an owner, to prove the browser guards, the login throttle, the
 * refusal of unannotated methods and the 401/403/429 answers.
 */
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

    /** Someone forgot to say who may call it. */
    @GET
    @Path("/forgotten")
    public String forgotten() {
        return "should never be seen";
    }
}
