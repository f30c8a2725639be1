package dev.edapatterns.order.payments;

import java.io.IOException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.order.Ids;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /orders/{orderId}/payments} (pattern 5): a paid order becomes one {@code orders.purchase-completed}
 * record, exactly once per orderId ({@link PaymentsService}). Role {@code customer} pays for themself (the order's
 * customerId is the caller's principal), role {@code orders-admin} for the customer the body names. The body is read
 * as bytes so its size is checked (413) before it is parsed, by the app's strict request reader.
 */
@Path("/orders/{orderId}/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The OpenAPI example: alice@example.com pays order-1001 (shipped to FR, the countries example). */
    static final String EXAMPLE_BODY = """
            {"customerId": "alice@example.com", "items": [{"sku": "sku-1", "qty": 2, "unitPrice": 9.99}], \
            "currency": "EUR", "shippingCountry": "FR"}""";

    private final PaymentsService service;
    private final PaymentsConfig config;
    private final SecurityIdentity identity;
    private final ObjectReader reader;

    PaymentsResource(PaymentsService service, OrderConfig config, SecurityIdentity identity, ObjectMapper requests) {
        this.service = service;
        this.config = config.payments();
        this.identity = identity;
        this.reader = requests.readerFor(PaymentRequest.class);
    }

    @APIResponse(responseCode = "202", description = "Accepted: this request paid the order (a retry with the same "
            + "Idempotency-Key and body gets the same answer, header Idempotent-Replayed: true)")
    @APIResponse(responseCode = "400", description = "Missing or invalid Idempotency-Key, invalid orderId or body, or "
            + "a value beyond the limits (order.payments.*)")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role customer or orders-admin, or a customer names "
            + "another customerId")
    @APIResponse(responseCode = "409", description = "A request with this Idempotency-Key is still being processed "
            + "(retry later); or the order is already paid by another request (type " + PaymentsService.ORDER_ALREADY_PAID
            + ")")
    @APIResponse(responseCode = "413", description = "The body is larger than order.payments.max-body-bytes")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "422", description = "This user's Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "503", description = "Still loading, or Kafka did not confirm or decide the payment "
            + "in time (a retry with the same Idempotency-Key is safe)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PaymentRequest.class),
            examples = @ExampleObject(name = "example", value = EXAMPLE_BODY)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.CUSTOMER, Roles.ORDERS_ADMIN })
    public Uni<Response> pay(@Parameter(example = "order-1001") @PathParam("orderId")
            @Pattern(regexp = Ids.ORDER_ID, message = Ids.ORDER_ID_MESSAGE) String orderId,
            @Parameter(name = IDEMPOTENCY_KEY, in = ParameterIn.HEADER, example = "3f2c9a1e-7b4d-4e8a-9c15-0d6b2f8e4a71")
            @HeaderParam(IDEMPOTENCY_KEY) String key, byte[] body) throws IOException {
        if (body != null && body.length > config.maxBodyBytes()) {
            throw new ProblemException(413, "Content Too Large",
                    "The body is larger than " + config.maxBodyBytes() + " bytes.", ProblemTypes.TOO_LARGE);
        }
        String idempotencyKey = IdempotencyKeys.require(key);
        if (idempotencyKey == null) {
            throw new ProblemException(400, "Bad Request", "The header " + IDEMPOTENCY_KEY + " is required.",
                    ProblemTypes.INVALID_IDEMPOTENCY_KEY);
        }
        PaymentRequest request = parse(body);
        return service.pay(Owners.principal(identity), idempotencyKey, orderId, request.withCustomerId(customerOf(request)))
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

    /** A JSON fault propagates to event-kit's one mapping of malformed bodies. */
    private PaymentRequest parse(byte[] body) throws IOException {
        PaymentRequest request = body == null || body.length == 0 ? null : reader.readValue(body);
        if (request == null) {
            throw new ProblemException(400, "Bad Request", "The body must be a JSON object with customerId, items, "
                    + "currency and shippingCountry.", ProblemTypes.MALFORMED_BODY);
        }
        return request;
    }
}
