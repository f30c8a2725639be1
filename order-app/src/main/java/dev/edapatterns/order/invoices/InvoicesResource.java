package dev.edapatterns.order.invoices;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.order.Ids;
import dev.edapatterns.order.Roles;
import dev.edapatterns.order.views.Views;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code GET /invoices/{orderId}}: the invoice of a checked-out order, with its number, for the order's customer or an
 * orders-admin.
 */
@Path("/invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoicesResource {

    private final Invoices invoices;
    private final SecurityIdentity identity;

    InvoicesResource(Invoices invoices, SecurityIdentity identity) {
        this.invoices = invoices;
        this.identity = identity;
    }

    @APIResponse(responseCode = "200", description = "The order's invoice")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "Another customer's order, or the user lacks role customer or orders-admin")
    @APIResponse(responseCode = "404", description = "No invoice for this order (not checked out yet?)")
    @APIResponse(responseCode = "503", description = "The invoices view is still loading")
    @GET
    @Path("/{orderId}")
    @RolesAllowed({ Roles.CUSTOMER, Roles.ORDERS_ADMIN })
    public Invoice get(@Parameter(example = "order-1001") @PathParam("orderId")
            @Pattern(regexp = Ids.ORDER_ID, message = Ids.ORDER_ID_MESSAGE) String orderId) {
        Views.requireLoaded(invoices.invoices(), "invoices");
        Invoice invoice = invoices.get(orderId)
                .orElseThrow(() -> Views.notFound("No invoice for order " + orderId + " (not checked out yet?)."));
        Owners.requireSelfOrRole(identity, invoice.customerId(), Roles.ORDERS_ADMIN);
        return invoice;
    }
}
