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

    void install(@Observes Router router, ImportConfig config) {
        long max = config.uploads().maxBytes().asLongValue();
        // multipart adds boundaries and part headers around the file: allow a little slack there
        long slack = 64 * 1024;
        router.route(HttpMethod.POST, "/imports").order(-100).handler(rc -> {
            String length = rc.request().getHeader("Content-Length");
            String type = rc.request().getHeader("Content-Type");
            long limit = type != null && type.startsWith("multipart/") ? max + slack : max;
            if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty()
                    && Long.parseLong(length) > limit) {
                Problem problem = new Problem("about:blank", "Content Too Large", 413,
                        "The upload is larger than the limit of " + max + " bytes (import.uploads.max-bytes).", "/imports", null);
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(problem));
                return;
            }
            rc.next();
        });
    }
}
