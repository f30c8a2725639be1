package dev.edapatterns.importapp.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.edapatterns.eventkit.errors.ProblemException;

/** Streams a request body to a temp file (never whole in heap), refusing it with 413 past {@code maxBytes}. */
final class UploadSpool {

    private UploadSpool() {
    }

    static Path spool(InputStream body, long maxBytes) {
        Path file = null;
        try {
            file = Files.createTempFile("import-", ".csv");
            long total = 0;
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(file)) {
                int n;
                while ((n = body.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw tooBig(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return file;
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    static ProblemException tooBig(long maxBytes) {
        return new ProblemException(413, "Content Too Large",
                "The upload is larger than the limit of " + maxBytes + " bytes (import.uploads.max-bytes).");
    }

    static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans its temp dir
            }
        }
    }
}
