package dev.edapatterns.importapp.jobs;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.errors.Problem;
import dev.edapatterns.importapp.ImportConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Refuses an upload whose declared {@code Content-Length} is over {@code import.uploads.max-bytes} before a byte of it is
 * read or spooled, with the same problem+json 413 the app gives for streamed bodies.
 */
@Singleton
public class UploadSizeGuard {

    /** What a form may carry around its file (boundaries, part headers, other fields) at most. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    void install(@Observes Router router, ImportConfig config) {
        long max = config.uploads().maxBytes().asLongValue();
        router.route(HttpMethod.POST, "/imports").order(-100).handler(rc -> {
            String length = rc.request().getHeader("Content-Length");
            String type = rc.request().getHeader("Content-Type");
            long limit = type != null && type.startsWith("multipart/") ? max + MULTIPART_OVERHEAD : max;
            if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
                    && Long.parseLong(length) > limit) {
                Problem problem = new Problem(ProblemTypesCompat.TOO_LARGE, "Content Too Large", 413,
                        "The upload is larger than the limit of " + max + " bytes (import.uploads.max-bytes).", "/imports", null);
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(problem));
                return;
            }
            rc.next();
        });
    }
}
