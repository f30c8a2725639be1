package dev.edapatterns.importapp.jobs;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.importapp.ImportConfig;
import dev.edapatterns.importapp.aggregate.ImportAggregates;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code POST /imports}: a CSV of contacts, as {@code text/csv} (channelId in the query) or as the page's
 * {@code multipart/form-data} (fields {@code file}, {@code channelId}) -> 202 at once; the jobs go to
 * {@code import.jobs}. {@code GET /imports/{id}}: the import's state from the aggregate.
 */
@Path("/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {

    public static final String TEXT_CSV = "text/csv";

    /** {@code GET /imports/{id}}. */
    public record ImportStatus(String importId, String state, int jobsTotal, int jobsDone, long rowsImported,
            long rowsRejected, long warnings, List<RowError> errors) {
    }

    private final ImportService imports;
    private final UploadPermits permits;
    private final ImportAggregates aggregates;
    private final ImportConfig config;

    ImportsResource(ImportService imports, UploadPermits permits, ImportAggregates aggregates, ImportConfig config) {
        this.imports = imports;
        this.permits = permits;
        this.aggregates = aggregates;
        this.config = config;
    }

    @APIResponse(responseCode = "202", description = "Accepted: the jobs are on import.jobs; Location names the import")
    @APIResponse(responseCode = "400", description = "Missing or invalid channelId or Idempotency-Key, empty or malformed CSV")
    @APIResponse(responseCode = "413", description = "The upload is larger than import.uploads.max-bytes")
    @APIResponse(responseCode = "415", description = "Neither text/csv nor multipart/form-data")
    @APIResponse(responseCode = "429", description = "Too many uploads in progress (import.uploads.max-concurrent)")
    @POST
    @Consumes({ TEXT_CSV, "application/csv" })
    @Blocking
    public Response uploadCsv(@QueryParam("channelId") String channelId,
            @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body) throws Exception {
        ImportService.requireChannelId(channelId);
        try (AutoCloseable permit = permits.acquire()) {
            java.nio.file.Path spooled = UploadSpool.spool(body, config.uploads().maxBytes().asLongValue());
            try {
                return accepted(imports.importCsv(channelId, spooled, key(idempotencyKey)));
            } finally {
                UploadSpool.delete(spooled);
            }
        }
    }

    @APIResponse(responseCode = "202", description = "Accepted: the jobs are on import.jobs; Location names the import")
    @APIResponse(responseCode = "400", description = "Missing or invalid channelId, file or Idempotency-Key, empty or malformed CSV")
    @APIResponse(responseCode = "413", description = "The upload is larger than import.uploads.max-bytes")
    @APIResponse(responseCode = "415", description = "Neither text/csv nor multipart/form-data")
    @APIResponse(responseCode = "429", description = "Too many uploads in progress (import.uploads.max-concurrent)")
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    public Response uploadForm(@RestForm("channelId") String channelId, @RestForm("file") FileUpload file,
            @HeaderParam("Idempotency-Key") String idempotencyKey) throws Exception {
        ImportService.requireChannelId(channelId);
        if (file == null) {
            throw ProblemException.badRequest("The form needs a 'file' field with the CSV.");
        }
        if (Files.size(file.uploadedFile()) > config.uploads().maxBytes().asLongValue()) {
            throw UploadSpool.tooBig(config.uploads().maxBytes().asLongValue());
        }
        try (AutoCloseable permit = permits.acquire()) {
            // Quarkus already spooled the part to disk (and deletes it at the end of the request)
            return accepted(imports.importCsv(channelId, file.uploadedFile(), key(idempotencyKey)));
        }
    }

    @APIResponse(responseCode = "200", description = "The import's state")
    @APIResponse(responseCode = "404", description = "No import with this id")
    @GET
    @Path("/{importId}")
    public ImportStatus status(@PathParam("importId") String importId) {
        ImportAggregate a = aggregates.get(importId)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "No import with id " + importId + "."));
        return new ImportStatus(a.importId(), a.status().name(), a.jobsTotal(), a.jobsDone(), a.rowsImported(),
                a.rowsRejected(), a.warnings(), a.errors() == null ? List.of() : a.errors());
    }

    private static Optional<String> key(String idempotencyKey) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ProblemException.badRequest("Idempotency-Key must be 1 to 255 characters.");
        }
        return Optional.of(idempotencyKey);
    }

    private static Response accepted(ImportService.Accepted accepted) {
        return Response.accepted(accepted).location(URI.create("/imports/" + accepted.importId())).build();
    }
}
