package dev.edapatterns.importapp.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

/**
 * The {@code file} field of a {@code multipart/form-data} body (RFC 7578) as a stream, read straight from the request:
 * the framework does not spool the form first, so the upload's permit, size limit, fingerprint and timeouts apply to it
 * exactly as to a {@code text/csv} body. Everything around the file (other fields, part headers, preamble, epilogue) is
 * bounded by {@code maxOverhead} in all. A {@code channelId} field is refused wherever it comes: the stream reports
 * its end only after the closing boundary, so every field has been seen before the upload is used.
 */
final class MultipartCsv extends InputStream {

    static final String FILE_FIELD = "file";
    /** Longest header line of a part, and longest value of a field other than the file. */
    private static final int MAX_LINE = 8 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s\"]{1,70}))");
    private static final byte[] CRLF = { '\r', '\n' };
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]*))");

    private enum Phase { BEFORE_FILE, FILE, DONE }

    private final InputStream in;
    /** CRLF "--" boundary: what ends a part. */
    private final byte[] delimiter;
    private final long maxOverhead;
    private final byte[] buf = new byte[64 * 1024];
    private final byte[] scratch = new byte[4096];
    private int pos;
    private int lim;
    private long overhead;
    private Phase phase = Phase.BEFORE_FILE;
    /** The form field whose part is being read. */
    private String currentName;

    MultipartCsv(InputStream in, String contentType, long maxOverhead) {
        Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            throw malformed("multipart/form-data needs a boundary parameter of 1 to 70 characters.");
        }
        String boundary = m.group(1) != null ? m.group(1) : m.group(2);
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxOverhead = maxOverhead;
        // the first boundary has no line break before it: start with one, so every boundary is the same delimiter
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    @Override
    public int read() throws IOException {
        return UploadSpool.readOne(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (phase == Phase.BEFORE_FILE) {
            skipContent(); // the preamble
            while (!nextPart()) {
                readField();
            }
            phase = Phase.FILE;
        }
        if (phase == Phase.DONE) {
            return -1;
        }
        int n = content(b, off, len);
        if (n < 0) {
            phase = Phase.DONE;
            while (!lastPart()) {
                readField();
            }
        }
        return n;
    }

    /** After a delimiter: true (and the part's headers read) at the file's part, false at another field's. */
    private boolean nextPart() throws IOException {
        if (closing()) {
            throw fileField("The form needs a '" + FILE_FIELD + "' field with the CSV.", "required");
        }
        return FILE_FIELD.equals(currentName = readHeaders());
    }

    /** After a delimiter: true at the closing one (the epilogue is skipped), false when another field follows. */
    private boolean lastPart() throws IOException {
        if (closing()) {
            do { // the epilogue
                countOverhead(lim - pos);
                pos = lim;
            } while (fill());
            return true;
        }
        if (FILE_FIELD.equals(currentName = readHeaders())) {
            throw fileField("The form may carry only one '" + FILE_FIELD + "' field.", "sent more than once");
        }
        return false;
    }

    /** The content of a field other than the file: small, and never a client-chosen channel. */
    private void readField() throws IOException {
        long size = skipContent();
        if ("channelId".equals(currentName)) {
            throw ImportsResource.clientChannel();
        }
        if (size > MAX_LINE) {
            throw malformed("a form field other than '" + FILE_FIELD + "' is longer than " + MAX_LINE + " bytes.");
        }
    }

    private long skipContent() throws IOException {
        long size = 0;
        int n;
        while ((n = content(scratch, 0, scratch.length)) > 0) {
            size += n;
            countOverhead(n);
        }
        return size;
    }

    /** Bytes of the current part up to the next delimiter; -1 (delimiter consumed) at it. */
    private int content(byte[] b, int off, int len) throws IOException {
        while (true) {
            int at = indexOf(delimiter, pos, lim);
            int available = at >= 0 ? at - pos : lim - (delimiter.length - 1) - pos;
            if (at == pos) {
                pos += delimiter.length;
                countOverhead(delimiter.length);
                return -1;
            }
            if (available > 0) {
                int n = Math.min(len, available);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (!fill()) {
                throw malformed("the body ends before its closing boundary.");
            }
        }
    }

    /** After a delimiter: "--" closes the body; otherwise optional padding and a line break start the next part. */
    private boolean closing() throws IOException {
        require(2);
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            return true;
        }
        String rest = readLine(); // transport padding only
        if (!rest.isBlank()) {
            throw malformed("a boundary is followed by text on its line.");
        }
        return false;
    }

    /** The part's headers up to the empty line; the form field's name (null without Content-Disposition). */
    private String readHeaders() throws IOException {
        String name = null;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-disposition")) {
                Matcher m = NAME.matcher(line.substring(colon + 1));
                if (m.find()) {
                    name = m.group(1) != null ? m.group(1) : m.group(2);
                }
            }
        }
        return name;
    }

    private String readLine() throws IOException {
        while (true) {
            int at = indexOf(CRLF, pos, lim);
            if (at >= 0) {
                String line = new String(buf, pos, at - pos, StandardCharsets.UTF_8);
                countOverhead(at + 2 - pos);
                pos = at + 2;
                return line;
            }
            if (lim - pos > MAX_LINE) {
                throw malformed("a part header line is longer than " + MAX_LINE + " bytes.");
            }
            if (!fill()) {
                throw malformed("the body ends inside a part's headers.");
            }
        }
    }

    private void require(int n) throws IOException {
        while (lim - pos < n) {
            if (!fill()) {
                throw malformed("the body ends before its closing boundary.");
            }
        }
    }

    /** Reads more after what is buffered; false at the end of the body. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    private void countOverhead(long n) {
        overhead += n;
        if (overhead > maxOverhead) {
            throw new ProblemException(413, "Content Too Large", "The form around the file is larger than " + maxOverhead
                    + " bytes.", ProblemTypes.TOO_LARGE);
        }
    }

    private int indexOf(byte[] pattern, int from, int to) {
        byte first = pattern[0];
        for (int i = from; i <= to - pattern.length; i++) {
            if (buf[i] == first && Arrays.equals(buf, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static ProblemException fileField(String detail, String message) {
        return ProblemException.invalid(detail, List.of(new FieldError(FILE_FIELD, message)));
    }

    private static ProblemException malformed(String what) {
        return new ProblemException(400, "Bad Request", "The form is malformed: " + what, ProblemTypes.MALFORMED_BODY);
    }
}
