package dev.edapatterns.importapp.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.importapp.ImportConfig;

/**
 * Reads a CSV upload (UTF-8, RFC 4180, header row with an {@code email} column; known columns
 * {@code email,name,country,phone}, others ignored) row by row, as it streams in: a {@link CsvRecordGuard} in front of
 * the parser bounds the header, every record, the columns and the rows before anything is buffered. Request-level
 * faults throw a 400 (413 past the row limit) {@link ProblemException}; a bad row is reported to the caller and the
 * rest goes on.
 */
final class CsvUpload {

    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final int MAX_EMAIL = 254;
    private static final List<String> KNOWN_COLUMNS = List.of("email", "name", "country", "phone");
    // Duplicate and blank header names are checked here, so the client reads the project's words, not the library's
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true).setTrim(true)
            .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
            .setAllowMissingColumnNames(true).get();

    /** What a pass over the file reports. */
    interface RowSink {
        void accepted(ContactRow row);

        void rejected(RowError error);

        static RowSink of(Consumer<ContactRow> accepted, Consumer<RowError> rejected) {
            return new RowSink() {
                @Override
                public void accepted(ContactRow row) {
                    accepted.accept(row);
                }

                @Override
                public void rejected(RowError error) {
                    rejected.accept(error);
                }
            };
        }
    }

    private final int maxFieldLength;
    private final CsvRecordGuard.Limits limits;

    CsvUpload(int maxFieldLength, CsvRecordGuard.Limits limits) {
        this.maxFieldLength = maxFieldLength;
        this.limits = limits;
    }

    static CsvUpload of(ImportConfig.Uploads uploads) {
        return new CsvUpload(uploads.maxFieldLength(), new CsvRecordGuard.Limits(uploads.maxHeaderBytes().asLongValue(),
                uploads.maxRecordBytes().asLongValue(), uploads.maxColumns(), uploads.maxRows()));
    }

    /** One pass over every row of {@code utf8} (not closed); throws a problem for faults of the whole request. */
    void read(InputStream utf8, RowSink sink) {
        CsvRecordGuard guard = new CsvRecordGuard(strictUtf8(utf8), limits);
        try {
            CSVParser parser = FORMAT.parse(guard);
            List<String> names = parser.getHeaderNames();
            if (names == null || names.isEmpty()) {
                throw new ProblemException(400, "Bad Request", "The upload is empty: a header row with an 'email' column is required.",
                        ProblemTypes.MALFORMED_BODY);
            }
            guard.nextRecordLine(); // the header's
            checkHeader(names);
            int[] columns = columnIndexes(names);
            for (CSVRecord record : parser) {
                validate(record, columns, guard.nextRecordLine(), sink);
            }
        } catch (UncheckedIOException | IOException e) {
            throw malformed(e, guard);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the guard finds the faults of structure first; whatever else the parser refuses, without its wording
            throw CsvRecordGuard.malformed("near line " + guard.nextRecordLine() + ".");
        }
    }

    private static void checkHeader(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isBlank()) {
                throw CsvRecordGuard.malformed("column " + (i + 1) + " of the header row has no name.");
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw CsvRecordGuard.malformed("the header row names the column '" + Echo.clip(name)
                        + "' twice (names ignore case).");
            }
        }
        if (!seen.contains("email")) {
            throw ProblemException.invalid("The header row must contain an 'email' column (found " + names.size()
                    + " columns: " + Echo.clip(String.join(",", names)) + ").",
                    List.of(new FieldError("email", "the header row has no 'email' column")));
        }
    }

    /**
     * Where each of {@link #KNOWN_COLUMNS} is in the header (-1: absent), looked up once: the parser's by-name access
     * compares names ignoring case on every field of every row.
     */
    private static int[] columnIndexes(List<String> names) {
        int[] indexes = new int[KNOWN_COLUMNS.size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = -1;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(KNOWN_COLUMNS.get(k))) {
                    indexes[k] = i;
                    break;
                }
            }
        }
        return indexes;
    }

    private void validate(CSVRecord record, int[] columns, long line, RowSink sink) {
        String email = field(record, columns[0]);
        if (email == null || email.isEmpty()) {
            sink.rejected(new RowError(line, "missing email"));
            return;
        }
        for (int k = 0; k < columns.length; k++) {
            String column = KNOWN_COLUMNS.get(k);
            String value = field(record, columns[k]);
            if (value != null && value.length() > maxFieldLength) {
                sink.rejected(new RowError(line, column + " longer than " + maxFieldLength + " characters"));
                return;
            }
            String hostile = value == null ? null : CsvText.hostileCharacter(value);
            if (hostile != null) {
                sink.rejected(new RowError(line, column + " contains " + hostile));
                return;
            }
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            sink.rejected(new RowError(line, "invalid email"));
            return;
        }
        sink.accepted(new ContactRow(line, email, field(record, columns[1]), field(record, columns[2]), field(record, columns[3])));
    }

    /** The value at {@code index}, or null when the column is absent, the row shorter, or the value empty. */
    private static String field(CSVRecord record, int index) {
        if (index < 0 || index >= record.size()) {
            return null;
        }
        String value = record.get(index);
        return value.isEmpty() ? null : value;
    }

    private static Reader strictUtf8(InputStream in) {
        // REPORT, not REPLACE: a file that is not UTF-8 is refused instead of silently mangled
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static ProblemException malformed(Exception e, CsvRecordGuard guard) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return new ProblemException(400, "Bad Request", "The upload is not valid UTF-8 text.",
                    ProblemTypes.MALFORMED_BODY);
        }
        return CsvRecordGuard.malformed("near line " + guard.nextRecordLine() + ".");
    }

    /** One pass over a whole file. */
    static void forEach(Path file, CsvUpload csv, Consumer<ContactRow> accepted, Consumer<RowError> rejected) {
        try (InputStream in = Files.newInputStream(file)) {
            csv.read(in, RowSink.of(accepted, rejected));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
