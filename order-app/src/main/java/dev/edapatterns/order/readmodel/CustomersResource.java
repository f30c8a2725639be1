package dev.edapatterns.order.readmodel;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.order.Roles;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code GET /customers...}: the shop's customers (the imported contacts) and their order history, read from the
 * read model (PostgreSQL, fed by projections). Answers carry {@code X-Projection-Applied-At} and
 * {@code X-Projection-Lag}: the read model trails the topics by that much.
 */
@Path("/customers")
@Produces(MediaType.APPLICATION_JSON)
public class CustomersResource {

    private final ReadModel readModel;
    private final ReadModelQueries queries;
    private final QueryParameters parameters;
    private final SecurityIdentity identity;

    CustomersResource(ReadModel readModel, ReadModelQueries queries, QueryParameters parameters,
            SecurityIdentity identity) {
        this.readModel = readModel;
        this.queries = queries;
        this.parameters = parameters;
        this.identity = identity;
    }

    @APIResponse(responseCode = "200", description = "A page of customers in email order; 'next' is the 'after' of the next page (null: last page)")
    @APIResponse(responseCode = "400", description = "A parameter out of bounds (problem+json names it)")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role crm")
    @APIResponse(responseCode = "503", description = "This process does not serve the read model, or its release's shape of it is not live yet")
    @GET
    @RolesAllowed(Roles.CRM)
    public Response list(
            @Parameter(description = "ISO 3166 alpha-2 (any case)", example = "FR") @QueryParam("country") String country,
            @Parameter(description = "A prefix of the email, or of the name (any case)", example = "ali") @QueryParam("q") String q,
            @Parameter(description = "The 'next' of the previous page: customers after this email", example = "aaron@example.com")
            @QueryParam("after") String after,
            @Parameter(description = "Page size (default order.read-model.default-limit, at most order.read-model.max-limit)",
                    example = "20") @QueryParam("limit") Integer limit) {
        int pageSize = parameters.limit(limit);
        String from = parameters.text("after", after);
        return Staleness.ok(queries.customers(parameters.country(country), parameters.text("q", q),
                from == null ? null : dev.edapatterns.contracts.imports.Contact.normalizeEmail(from), pageSize),
                readModel, ProjectionKind.CUSTOMERS.name());
    }

    @APIResponse(responseCode = "200", description = "The customer")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role crm")
    @APIResponse(responseCode = "404", description = "No such customer (or not projected yet: see X-Projection-Lag)")
    @GET
    @Path("/{email}")
    @RolesAllowed(Roles.CRM)
    public Response get(@Parameter(example = "alice@example.com") @PathParam("email") String email) {
        String key = parameters.email("email", email);
        return Staleness.ok(queries.customer(key).orElseThrow(() -> new ProblemException(404, "Not Found",
                "No customer " + dev.edapatterns.eventkit.errors.Echo.clip(key) + ".")), readModel,
                ProjectionKind.CUSTOMERS.name());
    }

    @APIResponse(responseCode = "200", description = "A page of the customer's orders, newest first")
    @APIResponse(responseCode = "400", description = "A parameter out of bounds (problem+json names it)")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "Another customer's orders, or the user lacks role customer, crm or orders-admin")
    @GET
    @Path("/{email}/orders")
    @RolesAllowed({ Roles.CUSTOMER, Roles.ORDERS_ADMIN, Roles.CRM })
    public Response orders(@Parameter(example = "alice@example.com") @PathParam("email") String email,
            @Parameter(description = "The 'next' of the previous page", example = "2099-01-01T00:00:00Z~order-1001")
            @QueryParam("after") String after,
            @Parameter(description = "Page size (default order.read-model.default-limit, at most order.read-model.max-limit)",
                    example = "20") @QueryParam("limit") Integer limit) {
        String customer = parameters.email("email", email);
        // a customer reads only their own orders; the shop's roles read anyone's
        if (!identity.hasRole(Roles.CRM)) {
            Owners.requireSelfOrRole(identity, customer, Roles.ORDERS_ADMIN);
        }
        int pageSize = parameters.limit(limit);
        String cursor = parameters.text("after", after);
        return Staleness.ok(queries.orders(customer, cursor == null ? null : OrderCursor.parse("after", cursor), pageSize),
                readModel, ProjectionKind.ORDER_HISTORY.name());
    }
}
