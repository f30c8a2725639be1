package dev.edapatterns.order.invoices;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.order.views.Views;

/** {@code GET /invoices/{orderId}}: the invoice of a checked-out order, with its number (public). */
@Path("/invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoicesResource {

    private final Invoices invoices;

    InvoicesResource(Invoices invoices) {
        this.invoices = invoices;
    }

    @APIResponse(responseCode = "200", description = "The order's invoice")
    @APIResponse(responseCode = "404", description = "No invoice for this order (not checked out yet?)")
    @APIResponse(responseCode = "503", description = "The invoices view is still loading")
    @GET
    @Path("/{orderId}")
    @PermitAll
    public Invoice get(@PathParam("orderId") String orderId) {
        Views.requireLoaded(invoices.invoices(), "invoices");
        return invoices.get(orderId).orElseThrow(() -> Views.notFound("No invoice for order " + orderId + " (not checked out yet?)."));
    }
}
