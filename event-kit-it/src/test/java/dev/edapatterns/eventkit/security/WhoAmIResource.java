package dev.edapatterns.eventkit.security;

import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.identity.SecurityIdentity;

/** Who the shared realm says the caller is: one protected and one public operation (kit tests only, not in OpenAPI). */
@Path("/kit-test/who-am-i")
public class WhoAmIResource {

    public record Caller(String name, TreeSet<String> roles) {
    }

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed("billing-admin")
    @Operation(hidden = true)
    public Caller caller() {
        return new Caller(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()));
    }

    @GET
    @Path("/public")
    @PermitAll
    @Operation(hidden = true)
    public String open() {
        return "open";
    }
}
