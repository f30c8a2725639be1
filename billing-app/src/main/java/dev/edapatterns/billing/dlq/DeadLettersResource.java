package dev.edapatterns.billing.dlq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.contracts.billing.CardTokens;
import dev.edapatterns.eventkit.dlq.DeadLetter;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * Inspect and redrive {@code billing.renewals.dlq}. A redrive re-produces the record to its original topic; the
 * renewal processor's dedupe makes redriving an already-charged renewal charge nothing. Renewal commands carry no card
 * token; a dead letter written before they lost it shows the token masked (last 4 at most).
 */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/dlq")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

    /** The most dead letters one answer holds (and one bulk redrive moves). */
    static final int MAX_LIMIT = 500;
    private static final String LIMIT_MESSAGE = "between 1 and " + MAX_LIMIT;
    private static final Pattern POSITION = Pattern.compile("(\\d{1,10}):(\\d{1,18})");

    private final DeadLetterQueue dlq;

    DeadLettersResource(DeadLetterQueue dlq) {
        this.dlq = dlq;
    }

    /** Dead letters in (partition, offset) order; {@code after} is the {@code position} of the last one seen. */
    @APIResponse(responseCode = "200", description = "A page of dead letters in (partition, offset) order")
    @APIResponse(responseCode = "400", description = "limit or after out of range (INVALID_PARAMETER or INVALID_REQUEST naming it)")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    public List<DeadLetter> list(@Parameter(name = "limit", example = "50") @QueryParam("limit") @DefaultValue("50")
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = MAX_LIMIT, message = LIMIT_MESSAGE) int limit,
            @Parameter(name = "after", example = "0:0") @QueryParam("after") String after) {
        return dlq.list(limit, cursor(after)).stream().map(DeadLettersResource::masked).toList();
    }

    private static DeadLetter masked(DeadLetter d) {
        Map<String, String> headers = new LinkedHashMap<>();
        d.headers().forEach((name, value) -> headers.put(name, CardTokens.maskInJson(value)));
        return new DeadLetter(d.partition(), d.offset(), d.timestamp(), d.key(), CardTokens.maskInJson(d.value()), headers);
    }

    @APIResponse(responseCode = "200", description = "Redriven: where the record went")
    @APIResponse(responseCode = "404", description = "No dead letter at this position")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/{partition}/{offset}/redrive")
    public Map<String, Object> redrive(@Parameter(name = "partition", example = "0") @PathParam("partition") int partition,
            @Parameter(name = "offset", example = "999999999") @PathParam("offset") long offset) {
        var md = dlq.redrive(partition, offset).orElseThrow(() -> new ProblemException(404, "Not Found",
                "No dead letter at " + dlq.topic() + " partition " + partition + " offset " + offset + "."));
        return Map.of("redriven", partition + ":" + offset, "topic", md.topic(), "partition", md.partition(), "offset",
                md.offset());
    }

    /** Redrives up to {@code limit} dead letters after {@code after}. */
    @APIResponse(responseCode = "200", description = "The positions redriven")
    @APIResponse(responseCode = "400", description = "limit or after out of range")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/redrive")
    public Map<String, Object> redriveAll(@Parameter(name = "limit", example = "1") @QueryParam("limit") @DefaultValue("50")
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = MAX_LIMIT, message = LIMIT_MESSAGE) int limit,
            @Parameter(name = "after", example = "0:999999999") @QueryParam("after") String after) {
        List<String> done = dlq.redriveAll(limit, cursor(after));
        return Map.of("redriven", done, "count", done.size());
    }

    /**
     * The cursor as the queue reads it, or a 400 naming {@code after}. Offsets of up to 18 digits (no log gets near
     * 10^18 records) and partitions within an int: parsing and the queue's "next offset" cannot overflow.
     */
    static String cursor(String after) {
        if (after == null || after.isBlank()) {
            return null;
        }
        Matcher m = POSITION.matcher(after);
        if (!m.matches() || Long.parseLong(m.group(1)) > Integer.MAX_VALUE) {
            throw ProblemException.invalidParameter("after", "a position partition:offset such as 3:17");
        }
        return Long.parseLong(m.group(1)) + ":" + Long.parseLong(m.group(2));
    }
}
