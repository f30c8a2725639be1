package dev.edapatterns.order.inventory;

import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.orders.Stock;
import dev.edapatterns.order.Ids;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.Roles;
import dev.edapatterns.order.views.Views;
import dev.edapatterns.order.views.ViewsConfig;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /inventory/{sku}} (public) and {@code PUT /inventory/{sku}} (role {@code reference-admin}): the stock
 * of a sku, decremented once per checked-out order.
 */
@Path("/inventory")
@Produces(MediaType.APPLICATION_JSON)
public class InventoryResource {

    /** The OpenAPI examples: the sku of the payments example. */
    static final String EXAMPLE_SKU = "sku-1";

    private final Inventory inventory;
    private final ViewsConfig config;

    InventoryResource(Inventory inventory, OrderConfig config) {
        this.inventory = inventory;
        this.config = config.views();
    }

    @APIResponse(responseCode = "200", description = "The sku's stock")
    @APIResponse(responseCode = "404", description = "No stock known for this sku")
    @APIResponse(responseCode = "503", description = "The inventory view is still loading")
    @GET
    @Path("/{sku}")
    @PermitAll
    public Stock get(@Parameter(example = EXAMPLE_SKU) @PathParam("sku")
            @Pattern(regexp = Ids.SKU, message = Ids.SKU_MESSAGE) String sku) {
        Views.requireLoaded(inventory.store().view(), "inventory");
        return inventory.get(sku).orElseThrow(() -> Views.notFound("No stock known for sku " + sku + "."));
    }

    /** 200 with the stock once this instance's view shows it; 202 if it is sent but not visible in time. */
    @APIResponse(responseCode = "200", description = "Set, and this instance's view shows it")
    @APIResponse(responseCode = "202", description = "Sent, not visible here within order.views.read-your-writes-timeout")
    @APIResponse(responseCode = "400", description = "Invalid sku or body")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role reference-admin")
    @APIResponse(responseCode = "503", description = "The inventory view is still loading")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "example", value = "{\"stock\": 100}")))
    @PUT
    @Path("/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REFERENCE_ADMIN)
    public Uni<Response> put(@Parameter(example = EXAMPLE_SKU) @PathParam("sku")
            @Pattern(regexp = Ids.SKU, message = Ids.SKU_MESSAGE) String sku,
            @Valid @NotNull(message = "A JSON object with the stock is required.") StockRequest body) {
        return Uni.createFrom().completionStage(() -> inventory.setStock(sku, body.stock()))
                .ifNoItem().after(config.readYourWritesTimeout()).failWith(TimeoutException::new)
                .map(stock -> Response.ok(stock).build())
                .onFailure(TimeoutException.class).recoverWithItem(e -> Response.accepted(
                        Map.of("sku", sku, "stock", body.stock(), "status", "sent, not applied yet")).build());
    }
}
