package dev.edapatterns.billing.dlq;

import java.time.Instant;
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
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.dlq.RecordedRedrives;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Inspect and redrive {@code billing.renewals.dlq}. A redrive re-produces the record to its original topic and records
 * who did it, when and where the copy went on {@code billing.renewals.dlq.redrives} (one transaction): the list shows
 * it to every admin. A letter redriven before is not redriven again unless forced ({@code ?force=true}): the answer is
 * 409 with the earlier redrive. The renewal processor's dedupe makes a forced redrive of an already-charged renewal
 * charge nothing. Renewal commands carry no card token; a dead letter written before they lost it shows the token
 * masked (last 4 at most), and its redrive copies today's renewal command, without it ({@link RenewalsDeadLetters}).
 */
@APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic or the login form)")
@APIResponse(responseCode = "403", description = "The user lacks role billing-admin")
@RolesAllowed(BillingRoles.ADMIN)
@Path("/admin/dlq")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

    /** The problem type of a redrive refused because the letter was redriven before (and not forced). */
    public static final String ALREADY_REDRIVEN = "https://edapatterns.dev/problems/already-redriven";
    /** The most dead letters one answer holds (and one bulk redrive moves). */
    static final int MAX_LIMIT = 500;
    private static final String LIMIT_MESSAGE = "between 1 and " + MAX_LIMIT;
    private static final Pattern POSITION = Pattern.compile("(\\d{1,10}):(\\d{1,18})");

    /**
     * A dead letter as the list shows it: the letter (token masked) and its latest redrive, if any.
     *
     * @param redrive null unless {@code redriven}: who redrove it, when, where the copy went, how many times so far
     */
    public record DeadLetterView(int partition, long offset, Instant timestamp, String key, String value,
            Map<String, String> headers, boolean redriven, Redrive redrive) {
    }

    private final RecordedRedrives redrives;
    private final DeadLetterQueue dlq;
    private final SecurityIdentity identity;

    DeadLettersResource(RecordedRedrives redrives, SecurityIdentity identity) {
        this.redrives = redrives;
        this.dlq = redrives.queue();
        this.identity = identity;
    }

    /** Dead letters in (partition, offset) order; {@code after} is the {@code position} of the last one seen. */
    @APIResponse(responseCode = "200", description = "A page of dead letters in (partition, offset) order, each with its latest redrive")
    @APIResponse(responseCode = "400", description = "limit or after out of range (INVALID_PARAMETER or INVALID_REQUEST naming it)")
    @RolesAllowed(BillingRoles.ADMIN)
    @GET
    public List<DeadLetterView> list(@Parameter(name = "limit", example = "50") @QueryParam("limit") @DefaultValue("50")
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = MAX_LIMIT, message = LIMIT_MESSAGE) int limit,
            @Parameter(name = "after", example = "0:0") @QueryParam("after") String after) {
        return dlq.list(limit, cursor(after)).stream().map(this::view).toList();
    }

    private DeadLetterView view(DeadLetter d) {
        Map<String, String> headers = new LinkedHashMap<>();
        d.headers().forEach((name, value) -> headers.put(name, CardTokens.maskInJson(value)));
        Redrive redrive = redrives.of(d.partition(), d.offset()).orElse(null);
        return new DeadLetterView(d.partition(), d.offset(), d.timestamp(), d.key(), CardTokens.maskInJson(d.value()), headers,
                redrive != null, redrive);
    }

    @APIResponse(responseCode = "200", description = "Redriven: where the record went, who redrove it and when")
    @APIResponse(responseCode = "404", description = "No dead letter at this position")
    @APIResponse(responseCode = "409", description = "Redriven before and not forced (type already-redriven): nothing "
            + "written; the problem's redrive member is the earlier redrive")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/{partition}/{offset}/redrive")
    public Map<String, Object> redrive(@Parameter(name = "partition", example = "0") @PathParam("partition") int partition,
            @Parameter(name = "offset", example = "999999999") @PathParam("offset") long offset,
            @Parameter(name = "force", example = "false", description = "true: redrive again even if it was redriven before")
            @QueryParam("force") String force) {
        RecordedRedrives.Result result = redrives.redrive(partition, offset, principal(), flag("force", force));
        return switch (result.status()) {
            case REDRIVEN -> answer(result.redrive());
            case ALREADY_REDRIVEN -> throw alreadyRedriven(result.redrive());
            case NO_SUCH_LETTER -> throw new ProblemException(404, "Not Found",
                    "No dead letter at " + dlq.topic() + " partition " + partition + " offset " + offset + ".");
        };
    }

    private static ProblemException alreadyRedriven(Redrive earlier) {
        return new ProblemException(409, "Conflict", "Already redriven by " + Echo.clip(earlier.redrivenBy()) + " at "
                + earlier.redrivenAt() + " to " + earlier.toTopic() + " " + earlier.toPartition() + ":" + earlier.toOffset()
                + "; add ?force=true to redrive it again.", ALREADY_REDRIVEN).with("redrive", answer(earlier));
    }

    /** What a redrive answers (and a 409 names as the earlier redrive). */
    private static Map<String, Object> answer(Redrive r) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("redriven", r.partition() + ":" + r.offset());
        answer.put("topic", r.toTopic());
        answer.put("partition", r.toPartition());
        answer.put("offset", r.toOffset());
        answer.put("redrivenBy", r.redrivenBy());
        answer.put("redrivenAt", r.redrivenAt());
        answer.put("redrives", r.redrives());
        return answer;
    }

    /** Redrives up to {@code limit} dead letters after {@code after}; those redriven before only when forced. */
    @APIResponse(responseCode = "200", description = "The positions redriven now, and those left alone because they were redriven before")
    @APIResponse(responseCode = "400", description = "limit or after out of range")
    @RolesAllowed(BillingRoles.ADMIN)
    @POST
    @Path("/redrive")
    public Map<String, Object> redriveAll(@Parameter(name = "limit", example = "1") @QueryParam("limit") @DefaultValue("50")
            @Min(value = 1, message = LIMIT_MESSAGE) @Max(value = MAX_LIMIT, message = LIMIT_MESSAGE) int limit,
            @Parameter(name = "after", example = "0:999999999") @QueryParam("after") String after,
            @Parameter(name = "force", example = "false", description = "true: also redrive letters that were redriven before")
            @QueryParam("force") String force) {
        RecordedRedrives.Bulk bulk = redrives.redriveAll(limit, cursor(after), principal(), flag("force", force));
        List<String> done = bulk.redriven().stream().map(DeadLettersResource::position).toList();
        return Map.of("redriven", done, "count", done.size(), "alreadyRedriven",
                bulk.alreadyRedriven().stream().map(DeadLettersResource::position).toList());
    }

    private static String position(Redrive r) {
        return r.partition() + ":" + r.offset();
    }

    private String principal() {
        return identity.getPrincipal().getName();
    }
    /**
     * A yes/no parameter: absent is false, and only {@code true} or {@code false} count. JAX-RS would read any other
     * word as false, and a typo in {@code force} must not quietly do the opposite of what was asked.
     */
    static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ProblemException.invalidParameter(name, "true or false");
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
