package dev.edapatterns.order.payments;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /orders/{orderId}/payments} (pattern 5): a paid order becomes one {@code orders.purchase-completed}
 * record, exactly once per orderId ({@link PaymentsService}). Role {@code customer} pays for themself (the order's
 * customerId is the caller's principal), role {@code orders-admin} for the customer the body names. The body is read
 * as bytes so its size (413) and its JSON (400 with the position) are checked here.
 */
@Path("/orders/{orderId}/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The OpenAPI example: alice@example.com pays order-1001 (shipped to FR, the countries example). */
    static final String EXAMPLE_BODY = """
            {"customerId": "alice@example.com", "items": [{"sku": "sku-1", "qty": 2, "unitPrice": 9.99}], \
            "currency": "EUR", "shippingCountry": "FR"}""";

    private static final ObjectReader READER = Json.mapper().readerFor(PaymentRequest.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private final PaymentsService service;
    private final PaymentsConfig config;
    private final SecurityIdentity identity;

    PaymentsResource(PaymentsService service, OrderConfig config, SecurityIdentity identity) {
        this.service = service;
        this.config = config.payments();
        this.identity = identity;
    }

    @APIResponse(responseCode = "202", description = "Accepted: this request paid the order (a retry with the same "
            + "Idempotency-Key and body gets the same answer, header Idempotent-Replayed: true)")
    @APIResponse(responseCode = "400", description = "Missing Idempotency-Key, invalid orderId or body")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role customer or orders-admin, or a customer names "
            + "another customerId")
    @APIResponse(responseCode = "409", description = "This user's Idempotency-Key was used for a different request; or "
            + "the order is already paid by another request (type " + PaymentsService.ORDER_ALREADY_PAID + ")")
    @APIResponse(responseCode = "413", description = "The body is larger than order.payments.max-body-bytes")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "Still loading, or Kafka did not confirm or decide the payment "
            + "in time (a retry with the same Idempotency-Key is safe)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PaymentRequest.class),
            examples = @ExampleObject(name = "example", value = EXAMPLE_BODY)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CUSTOMER, Roles.ORDERS_ADMIN })
    public Uni<Response> pay(@Parameter(example = "order-1001") @PathParam("orderId") String orderId,
            @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, example = "3f2c9a1e-7b4d-4e8a-9c15-0d6b2f8e4a71")
            @HeaderParam(IDEMPOTENCY_KEY) String key, byte[] body) {
        if (body != null && body.length > config.maxBodyBytes()) {
            throw new ProblemException(413, "Content Too Large",
                    "The body is larger than " + config.maxBodyBytes() + " bytes.");
        }
        if (key == null || key.isBlank()) {
            throw ProblemException.badRequest("The header " + IDEMPOTENCY_KEY + " is required.");
        }
        if (key.length() > config.maxKeyLength()) {
            throw ProblemException.badRequest("The " + IDEMPOTENCY_KEY + " is longer than " + config.maxKeyLength()
                    + " characters.");
        }
        PaymentValidator.requireOrderId(orderId);
        PaymentRequest request = parse(body);
        return service.pay(Owners.principal(identity), key, orderId, request.withCustomerId(customerOf(request)))
                .map(outcome -> {
                    Response.ResponseBuilder response = Response.accepted(outcome.answer());
                    if (outcome.replayed()) {
                        response.header("Idempotent-Replayed", "true");
                    }
                    return response.build();
                });
    }

    /**
     * The order's customer: a customer pays for themself (an absent customerId is theirs, another one is 403); an
     * orders-admin pays for the customer the body names (null when it names none: the validator's 400). Customer ids
     * are principals, i.e. normalised emails.
     */
    private String customerOf(PaymentRequest request) {
        String requested = request.customerId();
        if (requested == null || requested.isBlank()) {
            return identity.hasRole(Roles.CUSTOMER) ? Owners.principal(identity) : null;
        }
        String customer = Contact.normalizeEmail(requested);
        Owners.requireSelfOrRole(identity, customer, Roles.ORDERS_ADMIN);
        return customer;
    }

    private static PaymentRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("The body must be a JSON object with customerId, items, currency and "
                    + "shippingCountry.");
        }
        try {
            PaymentRequest request = READER.readValue(body);
            if (request == null) {
                throw ProblemException.badRequest("The body must be a JSON object.");
            }
            return request;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ProblemException.badRequest("The body is not valid JSON for a payment" + where + ".");
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("The body could not be read.");
        }
    }
}
