package dev.edapatterns.order.payments;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.OrderConfig;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /orders/{orderId}/payments} (pattern 5): a paid order becomes one {@code orders.purchase-completed}
 * record, exactly once per {@code Idempotency-Key}. The body is read as bytes so its size (413) and its JSON
 * (400 with the position) are checked here.
 */
@Path("/orders/{orderId}/payments")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentsResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final ObjectReader READER = Json.mapper().readerFor(PaymentRequest.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private final PaymentsService service;
    private final PaymentsConfig config;

    PaymentsResource(PaymentsService service, OrderConfig config) {
        this.service = service;
        this.config = config.payments();
    }

    @APIResponse(responseCode = "202", description = "Accepted once per Idempotency-Key (a retry gets the same answer)")
    @APIResponse(responseCode = "400", description = "Missing Idempotency-Key, invalid orderId or body")
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for a different request")
    @APIResponse(responseCode = "413", description = "The body is larger than order.payments.max-body-bytes")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "Still loading, or Kafka did not confirm the payment")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    public Uni<Response> pay(@PathParam("orderId") String orderId, @HeaderParam(IDEMPOTENCY_KEY) String key, byte[] body) {
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
        return service.pay(key, orderId, request).map(outcome -> {
            Response.ResponseBuilder response = Response.accepted(outcome.answer());
            if (outcome.replayed()) {
                response.header("Idempotent-Replayed", "true");
            }
            return response.build();
        });
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
