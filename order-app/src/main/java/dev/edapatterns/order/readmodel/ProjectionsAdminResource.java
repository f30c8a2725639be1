package dev.edapatterns.order.readmodel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.order.Roles;

/** {@code POST /admin/projections/{name}/rebuild}: rebuild a projection beside the live one (see {@link ReadModel}). */
@Path("/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionsAdminResource {

    private final ReadModel readModel;

    ProjectionsAdminResource(ReadModel readModel) {
        this.readModel = readModel;
    }

    @APIResponse(responseCode = "202", description = "Version n+1 is being built; n serves until n+1 has caught up")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role orders-admin")
    @APIResponse(responseCode = "404", description = "No such projection (customers, order-history)")
    @APIResponse(responseCode = "409", description = "A rebuild of this projection is running")
    @POST
    @Path("/{name}/rebuild")
    @RolesAllowed(Roles.ORDERS_ADMIN)
    public Response rebuild(@Parameter(description = "customers or order-history", example = "order-history")
            @PathParam("name") String name) {
        return Response.accepted(readModel.rebuild(name)).build();
    }
}
