package dev.edapatterns.importapp.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * Reads a spooled CSV upload (UTF-8, RFC 4180, header row with an {@code email} column; known columns
 * {@code email,name,country,phone}, others ignored) row by row. Request-level faults throw a 400
 * {@link ProblemException}; a bad row is reported to the caller and the rest goes on.
 */
final class CsvUpload {

    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final int MAX_EMAIL = 254;
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true).setTrim(true)
            .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).get();

    /** What a pass over the file reports. */
    interface RowSink {
        void accepted(ContactRow row);

        void rejected(RowError error);
    }

    private final Path file;
    private final int maxFieldLength;

    CsvUpload(Path file, int maxFieldLength) {
        this.file = file;
        this.maxFieldLength = maxFieldLength;
    }

    /** One pass over every row; throws a 400 problem for faults of the whole request. */
    void read(RowSink sink) {
        try (Reader reader = strictUtf8(file); CSVParser parser = FORMAT.parse(reader)) {
            Map<String, Integer> header = parser.getHeaderMap();
            if (header == null || header.isEmpty()) {
                throw ProblemException.badRequest("The upload is empty: a header row with an 'email' column is required.");
            }
            if (!header.containsKey("email")) {
                throw ProblemException.badRequest("The header row must contain an 'email' column (found: "
                        + String.join(",", header.keySet()) + ").");
            }
            Iterator<CSVRecord> records = parser.iterator();
            long lineBefore = parser.getCurrentLineNumber();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = lineBefore + 1; // where the record starts (quoted fields may span lines)
                lineBefore = parser.getCurrentLineNumber();
                validate(record, line, sink);
            }
        } catch (UncheckedIOException | IOException e) {
            throw malformed(e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Commons CSV: duplicate or blank header names, broken quoting detected while parsing the header
            throw ProblemException.badRequest("The CSV is malformed: " + e.getMessage());
        }
    }

    private void validate(CSVRecord record, long line, RowSink sink) {
        String email = field(record, "email");
        if (email == null || email.isEmpty()) {
            sink.rejected(new RowError(line, "missing email"));
            return;
        }
        for (String column : new String[] { "email", "name", "country", "phone" }) {
            String value = field(record, column);
            if (value != null && value.length() > maxFieldLength) {
                sink.rejected(new RowError(line, column + " longer than " + maxFieldLength + " characters"));
                return;
            }
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            sink.rejected(new RowError(line, "invalid email"));
            return;
        }
        sink.accepted(new ContactRow(line, email, field(record, "name"), field(record, "country"), field(record, "phone")));
    }

    private static String field(CSVRecord record, String column) {
        if (!record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value.isEmpty() ? null : value;
    }

    private static Reader strictUtf8(Path file) throws IOException {
        // REPORT, not REPLACE: a file that is not UTF-8 is refused instead of silently mangled
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    }

    private static ProblemException malformed(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return ProblemException.badRequest("The upload is not valid UTF-8 text.");
        }
        String msg = cause.getMessage() == null ? "unreadable" : cause.getMessage();
        return ProblemException.badRequest("The CSV is malformed: " + msg.toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
    }

    static void forEach(Path file, int maxFieldLength, Consumer<ContactRow> accepted, Consumer<RowError> rejected) {
        new CsvUpload(file, maxFieldLength).read(new RowSink() {
            @Override
            public void accepted(ContactRow row) {
                accepted.accept(row);
            }

            @Override
            public void rejected(RowError error) {
                rejected.accept(error);
            }
        });
    }
}
