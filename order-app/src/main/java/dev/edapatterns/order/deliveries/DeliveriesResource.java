package dev.edapatterns.order.deliveries;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.orders.Delivery;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.order.Ids;
import dev.edapatterns.order.Roles;
import dev.edapatterns.order.views.Views;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code GET /deliveries/{orderId}}: the delivery scheduled for a checked-out order, for the order's customer or an
 * orders-admin.
 */
@Path("/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveriesResource {

    private final Deliveries deliveries;
    private final SecurityIdentity identity;

    DeliveriesResource(Deliveries deliveries, SecurityIdentity identity) {
        this.deliveries = deliveries;
        this.identity = identity;
    }

    @APIResponse(responseCode = "200", description = "The order's delivery")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "Another customer's order, or the user lacks role customer or orders-admin")
    @APIResponse(responseCode = "404", description = "No delivery for this order (not checked out yet?)")
    @APIResponse(responseCode = "503", description = "The deliveries view is still loading")
    @GET
    @Path("/{orderId}")
    @RolesAllowed({ Roles.CUSTOMER, Roles.ORDERS_ADMIN })
    public Delivery get(@Parameter(example = "order-1001") @PathParam("orderId")
            @Pattern(regexp = Ids.ORDER_ID, message = Ids.ORDER_ID_MESSAGE) String orderId) {
        Views.requireLoaded(deliveries.store().view(), "deliveries");
        Delivery delivery = deliveries.store().get(orderId)
                .orElseThrow(() -> Views.notFound("No delivery for order " + orderId + " (not checked out yet?)."));
        Owners.requireSelfOrRole(identity, delivery.customerId(), Roles.ORDERS_ADMIN);
        return delivery;
    }
}
