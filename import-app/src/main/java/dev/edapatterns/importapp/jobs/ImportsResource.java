package dev.edapatterns.importapp.jobs;

import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;
import dev.edapatterns.importapp.ImportConfig;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.importapp.aggregate.ImportAggregates;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code POST /imports} (role importer or import-admin): a CSV of contacts, as {@code text/csv} or as the page's
 * {@code multipart/form-data} (field {@code file}) -> 202 at once with the import id, the progress channel the server
 * chose for it and a channel token for the caller; the jobs go to {@code import.jobs}. {@code GET /imports/{id}}: the
 * import's state from the aggregate and a fresh channel token, for its starter or import-admin only. {@code GET /imports}:
 * the caller's own newest imports (import-admin too: their own, as the page lists what one started).
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {

    public static final String TEXT_CSV = "text/csv";
    /** Sees and follows every import, not only their own. */
    public static final String ADMIN_ROLE = "import-admin";
    public static final String IMPORTER_ROLE = "importer";

    private static final String CSV_EXAMPLE = "email,name,country,phone\nann@example.com,Ann,FR,+33 1 23 45 67 89\n";
    /** The same file in the form's example: with the example key, either is a replay of the other. */
    private static final String CSV_EXAMPLE_ESCAPED = "email,name,country,phone\\nann@example.com,Ann,FR,+33 1 23 45 67 89\\n";
    private static final String KEY_EXAMPLE = "contacts-2026-12-06";
    /** The import id the examples' upload gets: derived from (importer, KEY_EXAMPLE), so the GET example finds it. */
    private static final String IMPORT_ID_EXAMPLE = "ec8b21cd-3a56-3e20-b7a1-a2adc6163c1e";

    /** {@code POST /imports}: what to watch and the token that lets the caller watch it on notify-app. */
    public record ImportAccepted(String importId, String channelId, String channelToken) {
    }

    /** {@code GET /imports/{id}}; {@code channelToken} is fresh, so a reloaded page can reconnect. */
    public record ImportStatus(String importId, String state, int jobsTotal, int jobsDone, long rowsImported,
            long rowsRejected, long warnings, List<RowError> errors, String channelId, String channelToken) {
    }

    /**
     * {@code GET /imports}: one import of the caller's list; {@code channelId} and a fresh {@code channelToken} only while
     * it is not final (what the page needs to follow it), null once COMPLETED or FAILED.
     */
    public record ImportSummary(String importId, String state, Instant acceptedAt, int jobsTotal, int jobsDone,
            long rowsImported, long rowsRejected, long warnings, String channelId, String channelToken) {
    }

    /** {@code GET /imports}: the caller's newest imports, newest accepted first. */
    public record ImportList(List<ImportSummary> imports) {
    }

    /** The longest list {@code GET /imports} answers, and its default: the page shows this many. */
    public static final int MAX_LIST = 20;

    private final ImportService imports;
    private final ImportAggregates aggregates;
    private final ImportConfig config;
    private final ChannelTokenIssuer tokens;
    private final SecurityIdentity identity;

    ImportsResource(ImportService imports, ImportAggregates aggregates, ImportConfig config, ChannelTokenIssuer tokens,
            SecurityIdentity identity) {
        this.imports = imports;
        this.aggregates = aggregates;
        this.config = config;
        this.tokens = tokens;
        this.identity = identity;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the jobs are on import.jobs; Location names the import")
    @APIResponse(responseCode = "400", description = "A channelId sent (the server chooses it), invalid Idempotency-Key, "
            + "empty or malformed CSV, a CSV over its header, record or column limits")
    @APIResponse(responseCode = "408", description = "The body stopped arriving (import.uploads.read-timeout) or took too long")
    @APIResponse(responseCode = "409", description = "A request with this Idempotency-Key is still being processed")
    @APIResponse(responseCode = "413", description = "Larger than import.uploads.max-bytes, or more rows than import.uploads.max-rows")
    @APIResponse(responseCode = "415", description = "Neither text/csv nor multipart/form-data")
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used with a different file")
    @APIResponse(responseCode = "429", description = "Too many uploads in progress (import.uploads.max-concurrent)")
    @RequestBody(content = @Content(mediaType = TEXT_CSV, examples = @ExampleObject(name = "example", value = CSV_EXAMPLE)))
    @POST
    @Consumes({ TEXT_CSV, "application/csv" })
    @Blocking
    @RolesAllowed({ IMPORTER_ROLE, ADMIN_ROLE })
    public Response uploadCsv(@Context UriInfo uri, @Context HttpHeaders headers,
            @Parameter(name = "Idempotency-Key", example = KEY_EXAMPLE) @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) {
        refuseClientChannel(uri.getQueryParameters().getFirst("channelId"));
        String key = key(headers); // idempotencyKey documents the header; key() reads it with its empty/repeated forms
        return accepted(imports.importCsv(Owners.principal(identity), timed(body), key));
    }

    @APIResponse(responseCode = "202", description = "Accepted: the jobs are on import.jobs; Location names the import")
    @APIResponse(responseCode = "400", description = "A channelId sent (the server chooses it), no file, invalid Idempotency-Key, "
            + "malformed form, empty or malformed CSV, a CSV over its header, record or column limits")
    @APIResponse(responseCode = "408", description = "The body stopped arriving (import.uploads.read-timeout) or took too long")
    @APIResponse(responseCode = "409", description = "A request with this Idempotency-Key is still being processed")
    @APIResponse(responseCode = "413", description = "Larger than import.uploads.max-bytes, or more rows than import.uploads.max-rows")
    @APIResponse(responseCode = "415", description = "Neither text/csv nor multipart/form-data")
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used with a different file")
    @APIResponse(responseCode = "429", description = "Too many uploads in progress (import.uploads.max-concurrent)")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            examples = @ExampleObject(name = "example", value = "{\"file\": \"" + CSV_EXAMPLE_ESCAPED + "\"}")))
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    @RolesAllowed({ IMPORTER_ROLE, ADMIN_ROLE })
    public Response uploadForm(@Context HttpHeaders headers, @HeaderParam("Content-Type") String contentType,
            @Parameter(name = "Idempotency-Key", example = KEY_EXAMPLE) @HeaderParam("Idempotency-Key") String idempotencyKey,
            InputStream body) {
        String key = key(headers);
        // read here, not by the framework: the permit, limits and timeouts apply to the form as to a text/csv body
        MultipartCsv file = new MultipartCsv(timed(body), contentType, UploadSizeGuard.MULTIPART_OVERHEAD);
        return accepted(imports.importCsv(Owners.principal(identity), file, key));
    }

    @APIResponse(responseCode = "200", description = "The import's state and a fresh token for its progress channel")
    @APIResponse(responseCode = "403", description = "Started by another importer")
    @APIResponse(responseCode = "404", description = "No import with this id")
    @GET
    @Path("/{importId}")
    @RolesAllowed({ IMPORTER_ROLE, ADMIN_ROLE })
    public ImportStatus status(@Parameter(name = "importId", example = IMPORT_ID_EXAMPLE) @PathParam("importId") String importId) {
        ImportAggregate a = aggregates.get(importId)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "No import with id " + Echo.clip(importId) + "."));
        Owners.requireSelfOrRole(identity, a.startedBy(), ADMIN_ROLE);
        return new ImportStatus(a.importId(), a.status().name(), a.jobsTotal(), a.jobsDone(), a.rowsImported(),
                a.rowsRejected(), a.warnings(), a.errors() == null ? List.of() : a.errors(), a.channelId(),
                tokens.issue(a.channelId(), Owners.principal(identity)));
    }

    @APIResponse(responseCode = "200", description = "The caller's newest imports (at most limit), newest first, each with "
            + "its state and counts; the running ones with their channel and a fresh channel token")
    @APIResponse(responseCode = "400", description = "limit not a whole number from 1 to " + MAX_LIST)
    @GET
    @RolesAllowed({ IMPORTER_ROLE, ADMIN_ROLE })
    public ImportList list(@Parameter(name = "limit", description = "1 to " + MAX_LIST + ", default " + MAX_LIST,
            example = "20") @QueryParam("limit") Integer limit) {
        int n = limit == null ? MAX_LIST : limit;
        if (n < 1 || n > MAX_LIST) {
            throw ProblemException.invalidParameter("limit", "must be from 1 to " + MAX_LIST + " (default " + MAX_LIST + ").");
        }
        String me = Owners.principal(identity);
        return new ImportList(aggregates.recent(me, n).stream().map(a -> {
            boolean running = a.status() != ImportAggregate.Status.COMPLETED && a.status() != ImportAggregate.Status.FAILED;
            return new ImportSummary(a.importId(), a.status().name(), a.acceptedAt(), a.jobsTotal(), a.jobsDone(),
                    a.rowsImported(), a.rowsRejected(), a.warnings(), running ? a.channelId() : null,
                    running ? tokens.issue(a.channelId(), me) : null);
        }).toList());
    }

    /** The server chooses channels: a client-chosen one would let anyone name (and guess) a channel. */
    private static void refuseClientChannel(String channelId) {
        if (channelId != null) {
            throw clientChannel();
        }
    }

    static ProblemException clientChannel() {
        return new ProblemException(400, "Bad Request",
                "channelId is chosen by the server: send none and use the one in the answer.", ProblemTypes.INVALID_PARAMETER)
                .with("errors", List.of(new FieldError("channelId", "chosen by the server: send none")));
    }

    /**
     * The Idempotency-Key, or null without one. Read from the headers themselves: the parameter reads an empty header
     * as absent, and a key sent twice is ambiguous; both are refused.
     */
    private static String key(HttpHeaders headers) {
        List<String> values = headers.getRequestHeader(IdempotencyKeys.HEADER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return IdempotencyKeys.require(values.size() == 1 ? values.get(0) : "");
    }

    private InputStream timed(InputStream body) {
        return new TimedUpload(body, config.uploads().readTimeout(), config.uploads().maxDuration());
    }

    private Response accepted(ImportService.Accepted accepted) {
        String token = tokens.issue(accepted.channelId(), Owners.principal(identity));
        return Response.accepted(new ImportAccepted(accepted.importId(), accepted.channelId(), token))
                .location(URI.create("/imports/" + accepted.importId())).build();
    }
}
