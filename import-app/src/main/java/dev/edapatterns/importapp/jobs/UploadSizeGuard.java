package dev.edapatterns.importapp.jobs;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.errors.ProblemTypes;
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
            if (declaredTooLarge(rc.request().getHeader("Content-Length"), rc.request().getHeader("Content-Type"), max)) {
                Problem problem = new Problem(ProblemTypes.TOO_LARGE, "Content Too Large", 413,
                        "The upload is larger than the limit of " + max + " bytes (import.uploads.max-bytes).", "/imports", null);
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(Json.encode(problem));
                return;
            }
            rc.next();
        });
    }

    /**
     * True when the declared length is over {@code max} (a form: plus what may surround its file). A missing or
     * unreadable length is left to the streaming checks (and to the HTTP layer, which refuses a malformed one).
     */
    static boolean declaredTooLarge(String contentLength, String contentType, long max) {
        if (contentLength == null || contentLength.isEmpty() || !contentLength.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        long limit = contentType != null && contentType.regionMatches(true, 0, "multipart/", 0, 10) ? max + MULTIPART_OVERHEAD : max;
        String digits = contentLength.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 || Long.parseLong(digits) > limit; // 19 digits may not fit a long: over any limit
    }
}
