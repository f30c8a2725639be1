package dev.edapatterns.billing.admin;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.billing.InputRules;
import dev.edapatterns.billing.ledger.LedgerConsumer;
import dev.edapatterns.contracts.retry.SkipDecision;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.retry.BlockedRecord;
import dev.edapatterns.eventkit.retry.NotBlockedException;
import io.smallrye.common.annotation.Blocking;

/**
 * The operator's view of blocking retry (pattern 4's "dashboard"): the users blocked on this instance, each by the
 * record holding it (its topic, partition and offset name it here), and the two ways to move one: retry it now (after
 * fixing its cause) or skip it (recorded durably first). Both act on that user only.
 */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/blocked")
@Produces(MediaType.APPLICATION_JSON)
@Blocking // waits for the user's worker to run the command
public class BlockedRecordsResource {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(40);
    /** The topic the ledger's consumer reads: the one the OpenAPI examples name. */
    static final String EXAMPLE_TOPIC = "billing.charges";

    /** A Kafka topic name (what Kafka itself accepts): anything else names no consumer. */
    private static final String TOPIC = "[A-Za-z0-9._-]{1,249}";
    private static final String TOPIC_MESSAGE = "a topic name: 1-249 letters, digits, '.', '_' or '-'";

    /** Optional body of a skip: why (recorded on billing.ledger.skips and shown to operators). */
    public record SkipRequest(
            @Size(max = 500, message = "at most 500 characters")
            @Pattern(regexp = InputRules.PRINTABLE, message = InputRules.PRINTABLE_MESSAGE) String reason) {
    }

    private final LedgerConsumer ledger;
    /** Quarkus' mapper: the strict reader of request bodies (not the tolerant one of Kafka records). */
    private final ObjectMapper json;
    private final Validator validator;

    BlockedRecordsResource(LedgerConsumer ledger, ObjectMapper json, Validator validator) {
        this.ledger = ledger;
        this.json = json;
        this.validator = validator;
    }

    @APIResponse(responseCode = "200", description = "The users blocked on this instance now, each by its oldest charge")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    public List<BlockedRecord> blocked() {
        return ledger.blocked();
    }

    @APIResponse(responseCode = "200", description = "Skipped: the decision as recorded durably")
    @APIResponse(responseCode = "400", description = "The body is neither empty nor {\"reason\": ...}")
    @APIResponse(responseCode = "404", description = "No such blocked record or consumer here")
    @APIResponse(responseCode = "503", description = "The consumer is not running or did not answer in time")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/{topic}/{partition}/{offset}/skip")
    @Consumes(MediaType.WILDCARD) // the body is optional: a bare POST skips with a default reason
    public SkipDecision skip(@Parameter(name = "topic", example = EXAMPLE_TOPIC) @PathParam("topic")
            @Pattern(regexp = TOPIC, message = TOPIC_MESSAGE) String topic,
            @Parameter(name = "partition", example = "0") @PathParam("partition") int partition,
            @Parameter(name = "offset", example = "999999999") @PathParam("offset") long offset,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "example",
                    value = "{\"reason\":\"refunded by hand\"}"))) String body) {
        requireLedger(topic);
        SkipRequest request = parse(body);
        String reason = request == null || request.reason() == null || request.reason().isBlank() ? "skipped by an operator"
                : request.reason();
        return await(() -> ledger.skip(partition, offset, reason));
    }

    /**
     * Read by hand (the body is optional and may come without a content type), so validated by hand: the same strict
     * reader and the same Bean Validation answer as a declared body parameter.
     */
    private SkipRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        SkipRequest request;
        try {
            request = json.readValue(body, SkipRequest.class);
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "Bad Request", "The body must be {\"reason\": \"...\"} or empty.",
                    ProblemTypes.MALFORMED_BODY);
        }
        Set<ConstraintViolation<SkipRequest>> violations = request == null ? Set.of() : validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    @APIResponse(responseCode = "200", description = "The attempt's outcome (applied, or still blocked)")
    @APIResponse(responseCode = "404", description = "No such blocked record or consumer here")
    @APIResponse(responseCode = "503", description = "The consumer is not running or did not answer in time")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/{topic}/{partition}/{offset}/retry")
    public LedgerConsumer.RetryResult retry(
            @Parameter(name = "topic", example = EXAMPLE_TOPIC) @PathParam("topic")
            @Pattern(regexp = TOPIC, message = TOPIC_MESSAGE) String topic,
            @Parameter(name = "partition", example = "0") @PathParam("partition") int partition,
            @Parameter(name = "offset", example = "999999999") @PathParam("offset") long offset) {
        requireLedger(topic);
        return await(() -> ledger.retryNow(partition, offset));
    }

    private void requireLedger(String topic) {
        if (!ledger.topic().equals(topic)) {
            throw new ProblemException(404, "Not Found", "No blocking-retry consumer reads " + Echo.clip(topic) + " here.");
        }
    }

    private static <T> T await(Supplier<CompletableFuture<T>> send) {
        try {
            return send.get().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotBlockedException e) {
            throw new ProblemException(404, "Not Found", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ProblemException(503, "Service Unavailable", e.getMessage());
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof NotBlockedException notBlocked) {
                throw new ProblemException(404, "Not Found", notBlocked.getMessage());
            }
            throw new ProblemException(503, "Service Unavailable", "The command failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ProblemException(503, "Service Unavailable", "The consumer did not answer in time.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service Unavailable", "Interrupted.");
        }
    }
}
