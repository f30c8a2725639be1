package dev.edapatterns.order.readmodel;

import java.time.LocalDate;
import java.time.ZoneOffset;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.order.Roles;

/** {@code GET /reports/revenue}: invoiced revenue per UTC day in one currency, from the order history read model. */
@Path("/reports/revenue")
@Produces(MediaType.APPLICATION_JSON)
public class RevenueResource {

    private final ReadModel readModel;
    private final ReadModelQueries queries;
    private final QueryParameters parameters;

    RevenueResource(ReadModel readModel, ReadModelQueries queries, QueryParameters parameters) {
        this.readModel = readModel;
        this.queries = queries;
        this.parameters = parameters;
    }

    @APIResponse(responseCode = "200", description = "Orders and revenue per day with invoiced orders, oldest first")
    @APIResponse(responseCode = "400", description = "A parameter out of bounds (problem+json names it)")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role orders-admin")
    @GET
    @RolesAllowed(Roles.ORDERS_ADMIN)
    public Response revenue(
            @Parameter(description = "First day (UTC, inclusive; default: 29 days before 'to')", example = "2026-01-01")
            @QueryParam("from") String from,
            @Parameter(description = "Last day (UTC, inclusive; default: today)", example = "2026-12-31") @QueryParam("to") String to,
            @Parameter(description = "ISO 4217 (required)", example = "EUR") @QueryParam("currency") String currency) {
        String code = parameters.currency(currency);
        LocalDate last = parameters.date("to", to, LocalDate.now(ZoneOffset.UTC));
        LocalDate first = parameters.date("from", from, last.minusDays(29));
        parameters.range(first, last);
        return Staleness.ok(queries.revenue(code, first, last), readModel, ProjectionKind.ORDER_HISTORY.name());
    }
}
