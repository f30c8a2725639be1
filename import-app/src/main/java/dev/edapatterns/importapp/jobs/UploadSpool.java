package dev.edapatterns.importapp.jobs;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.idempotency.IdempotencyKeys;

/**
 * One upload between its first pass and its publication: counts the body as the first pass reads it (413 past
 * {@code maxBytes}, before more is read) and fingerprints it (SHA-256, for the idempotency key), and keeps the jobs the
 * first pass cut, their rows already serialized ({@link JobValues#rows}), in a temp file (never whole in heap) for the
 * publishing pass, which then neither parses nor serializes a row again.
 */
final class UploadSpool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UploadSpool.class);

    private final long maxBytes;
    private final Path file;
    private final DataOutputStream out;
    private final MessageDigest sha256;
    private long total;
    private int jobs;
    private String fingerprint;

    private UploadSpool(long maxBytes) throws IOException {
        this.maxBytes = maxBytes;
        this.file = Files.createTempFile("import-", ".jobs");
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
        this.sha256 = IdempotencyKeys.sha256();
    }

    static UploadSpool create(long maxBytes) {
        try {
            return new UploadSpool(maxBytes);
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** {@code body} as the first pass reads it: every byte read is counted and fingerprinted. */
    InputStream tee(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                return UploadSpool.readOne(this);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count(b, off, n);
                }
                return n;
            }

            @Override
            public void close() {
                // the request's stream is Quarkus'
            }
        };
    }

    private void count(byte[] b, int off, int n) {
        total += n;
        if (total > maxBytes) {
            throw tooBig(maxBytes);
        }
        sha256.update(b, off, n);
    }

    /** Keeps the next job's serialized rows. */
    void addJob(byte[] rows) {
        try {
            out.writeInt(rows.length);
            out.write(rows);
            jobs++;
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** Reads whatever the first pass left of {@code tee} (nothing after a whole CSV); the body's fingerprint is then set. */
    void finish(InputStream tee) {
        try {
            byte[] rest = new byte[8192];
            while (tee.read(rest) >= 0) {
                // counted by the tee
            }
            out.close();
        } catch (IOException e) {
            throw unavailable(e);
        }
        fingerprint = HexFormat.of().formatHex(sha256.digest());
    }

    /** Hex SHA-256 of the whole upload, after {@link #finish}. */
    String fingerprint() {
        return fingerprint;
    }

    /** The kept jobs' rows in order, after {@link #finish}. */
    void forEachJob(Consumer<byte[]> job) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            for (int i = 0; i < jobs; i++) {
                byte[] rows = new byte[in.readInt()];
                in.readFully(rows);
                job.accept(rows);
            }
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /** {@link InputStream#read()} for streams that read in blocks. */
    static int readOne(InputStream in) throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = in.read(one, 0, 1)) == 0) {
            // a block read may return 0 bytes; a single-byte read waits for one
        }
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    static ProblemException tooBig(long maxBytes) {
        return new ProblemException(413, "Content Too Large",
                "The upload is larger than the limit of " + maxBytes + " bytes (import.uploads.max-bytes).",
                ProblemTypes.TOO_LARGE);
    }

    /** The disk, not the client, failed: a retry (perhaps on another instance) may succeed. */
    private static ProblemException unavailable(IOException e) {
        LOG.errorf(e, "An upload's jobs could not be spooled to a temp file");
        return new ProblemException(503, "Service Unavailable", "The upload could not be stored; nothing was kept. Retry.");
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // deleted next
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file; the OS cleans its temp dir
        }
    }
}
