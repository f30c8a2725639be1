package dev.edapatterns.order.deliveries;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.order.views.Views;

/** {@code GET /deliveries/{orderId}}: the delivery scheduled for a checked-out order (public). */
@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {

    private final Deliveries deliveries;

    DeliveriesResource(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @APIResponse(responseCode = "200", description = "The order's delivery")
    @APIResponse(responseCode = "404", description = "No delivery for this order (not checked out yet?)")
    @APIResponse(responseCode = "503", description = "The deliveries view is still loading")
    @GET
    @Path("/{orderId}")
    @PermitAll
    public Delivery get(@PathParam("orderId") String orderId) {
        Views.requireLoaded(deliveries.store().view(), "deliveries");
        return deliveries.store().get(orderId)
                .orElseThrow(() -> Views.notFound("No delivery for order " + orderId + " (not checked out yet?)."));
    }
}
