package dev.edapatterns.importapp.jobs;

import java.io.IOException;
import java.io.Reader;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

/**
 * Sits between the decoded upload and Commons CSV, which buffers a whole record before handing it over: it follows the
 * RFC 4180 structure character by character as the text streams through and refuses the upload the moment the header
 * or a record is longer than its limit, has too many columns, or the file has too many rows. A hostile record therefore
 * costs at most its limit, never its own size.
 *
 * <p>It tracks records exactly as Commons CSV splits them (a quote opens a quoted field only as the field's first
 * character; {@code ""} inside one is a quote; CR, LF and CRLF end a line; empty lines are no record), so it also knows
 * the line each record starts on, blank lines and quoted line breaks included, which the parser does not report.
 * A UTF-8 byte order mark at the very start is dropped.
 */
final class CsvRecordGuard extends Reader {

    /** The bounds, from {@code import.uploads.*}. */
    record Limits(long maxHeaderBytes, long maxRecordBytes, int maxColumns, long maxRows) {
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTED }

    private static final char BOM = '\uFEFF';

    private final Reader in;
    private final Limits limits;
    /**
     * Start lines of the records seen but not yet taken by {@link #nextRecordLine()} (at most the parser's read-ahead):
     * a ring of primitives, as this runs for every record of every upload.
     */
    private long[] recordLines = new long[256];
    private int firstLine;
    private int pendingLines;

    private State state = State.FIELD_START;
    private boolean inRecord;
    private boolean atStart = true;
    private boolean lastWasCr;
    private long line = 1;
    private long recordLine;
    private long records;
    private long recordBytes;
    private int columns;

    CsvRecordGuard(Reader in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** The line the next record the parser returns starts on (the header is the first record). */
    long nextRecordLine() {
        if (pendingLines == 0) {
            return line;
        }
        long start = recordLines[firstLine];
        firstLine = (firstLine + 1) & (recordLines.length - 1);
        pendingLines--;
        return start;
    }

    private void addRecordLine(long start) {
        if (pendingLines == recordLines.length) { // a longer read-ahead than ever before: twice the room, in order
            long[] bigger = new long[recordLines.length * 2];
            for (int i = 0; i < pendingLines; i++) {
                bigger[i] = recordLines[(firstLine + i) & (recordLines.length - 1)];
            }
            recordLines = bigger;
            firstLine = 0;
        }
        recordLines[(firstLine + pendingLines) & (recordLines.length - 1)] = start;
        pendingLines++;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        int n = in.read(cbuf, off, len);
        if (n > 0 && atStart) {
            atStart = false;
            if (cbuf[off] == BOM) { // what spreadsheet tools write first; not part of the first column's name
                System.arraycopy(cbuf, off + 1, cbuf, off, n - 1);
                n--;
                if (n == 0) {
                    return read(cbuf, off, len);
                }
            }
        }
        if (n < 0) {
            atEnd();
            return n;
        }
        for (int i = off; i < off + n; i++) {
            accept(cbuf[i]);
        }
        return n;
    }

    private void accept(char c) {
        boolean eol = c == '\n' || c == '\r';
        boolean crlf = c == '\n' && lastWasCr;
        lastWasCr = c == '\r';
        if (eol && !crlf) {
            line++;
        }
        if (!inRecord) {
            if (eol) {
                return; // an empty line (or the LF of a CRLF that ended the record): no record
            }
            startRecord();
        }
        if (eol && state != State.QUOTED) {
            inRecord = false;
            return;
        }
        recordBytes += utf8Length(c);
        long max = records == 1 ? limits.maxHeaderBytes() : limits.maxRecordBytes();
        if (recordBytes > max) {
            throw records == 1
                    ? tooBig("The header row is longer than " + max + " bytes (import.uploads.max-header-bytes).")
                    : tooBig("Line " + recordLine + ": the record is longer than " + max
                            + " bytes (import.uploads.max-record-bytes).");
        }
        switch (state) {
            case FIELD_START -> state = c == '"' ? State.QUOTED : c == ',' ? nextColumn() : State.UNQUOTED;
            case UNQUOTED -> state = c == ',' ? nextColumn() : State.UNQUOTED;
            case QUOTED -> state = c == '"' ? State.QUOTE_IN_QUOTED : State.QUOTED;
            case QUOTE_IN_QUOTED -> state = c == '"' ? State.QUOTED : c == ',' ? nextColumn() : afterQuote(c);
            case AFTER_QUOTED -> state = c == ',' ? nextColumn() : afterQuote(c);
        }
    }

    private void startRecord() {
        inRecord = true;
        records++;
        if (records - 1 > limits.maxRows()) {
            throw new ProblemException(413, "Content Too Large", "The upload has more than " + limits.maxRows()
                    + " rows (import.uploads.max-rows).", ProblemTypes.TOO_LARGE);
        }
        recordLine = line;
        addRecordLine(line);
        recordBytes = 0;
        columns = 1;
        state = State.FIELD_START;
    }

    private State nextColumn() {
        if (++columns > limits.maxColumns()) {
            throw malformed("line " + recordLine + " has more than " + limits.maxColumns()
                    + " columns (import.uploads.max-columns).");
        }
        return State.FIELD_START;
    }

    /** After a quoted field's closing quote only spaces may come before the comma or the line end. */
    private State afterQuote(char c) {
        if (!Character.isWhitespace(c)) {
            throw malformed("line " + line + ": text after the closing quote of a quoted field (a quote inside a "
                    + "quoted field is written twice: \"\").");
        }
        return State.AFTER_QUOTED;
    }

    private void atEnd() {
        if (inRecord && state == State.QUOTED) {
            throw malformed("the quoted field that starts on line " + recordLine + " is never closed.");
        }
    }

    static ProblemException malformed(String what) {
        return new ProblemException(400, "Bad Request", "The CSV is malformed: " + what, ProblemTypes.MALFORMED_BODY);
    }

    private static ProblemException tooBig(String detail) {
        return new ProblemException(400, "Bad Request", detail, ProblemTypes.MALFORMED_BODY);
    }

    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 2; // a surrogate pair is 4 bytes in UTF-8: 2 per half
        }
        return 3;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
