package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.eventkit.errors.ProblemException;

@Tag("unit")
class CsvUploadTest {

    private static final int MAX_FIELD = 300;
    private static final CsvRecordGuard.Limits LIMITS = new CsvRecordGuard.Limits(100, 1000, 8, 20);

    @TempDir
    Path dir;

    private final List<ContactRow> accepted = new ArrayList<>();
    private final List<RowError> rejected = new ArrayList<>();

    private void read(String csv) throws IOException {
        read(csv.getBytes(StandardCharsets.UTF_8), MAX_FIELD);
    }

    private void read(byte[] bytes, int maxFieldLength) throws IOException {
        Path file = Files.write(dir.resolve("upload.csv"), bytes);
        CsvUpload.forEach(file, new CsvUpload(maxFieldLength, LIMITS), accepted::add, rejected::add);
    }

    private ProblemException refused(String csv) {
        return refused(csv.getBytes(StandardCharsets.UTF_8));
    }

    private ProblemException refused(byte[] bytes) {
        ProblemException e = assertThrows(ProblemException.class, () -> read(bytes, MAX_FIELD));
        assertEquals(400, e.status(), e.getMessage());
        return e;
    }

    @Test
    void rowsAreReadWithTheirLineNumbersTrimmedAndEmptyFieldsAsNull() throws IOException {
        read("""
                email,name,country,phone
                ann@example.com, Ann ,fr,+33 1
                bob@example.com,,,
                """);
        assertEquals(List.of(new ContactRow(2, "ann@example.com", "Ann", "fr", "+33 1"),
                new ContactRow(3, "bob@example.com", null, null, null)), accepted);
        assertEquals(List.of(), rejected);
    }

    @Test
    void lineNumbersStayExactFarBeyondTheParsersReadAhead() throws IOException {
        // thousands of short rows: the guard runs many records ahead of the parser (its whole read buffer)
        StringBuilder csv = new StringBuilder("email,name\n");
        List<Long> expected = new ArrayList<>();
        long line = 2;
        for (int i = 0; i < 3000; i++) {
            if (i % 7 == 0) {
                csv.append('\n'); // a blank line: no record, but a line
                line++;
            }
            expected.add(line);
            boolean multiLine = i % 500 == 0;
            csv.append("u").append(i).append("@x.io,").append(multiLine ? "\"two\nlines\"" : "n").append('\n');
            line += multiLine ? 2 : 1;
        }
        Path file = Files.write(dir.resolve("many.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
        CsvUpload.forEach(file, new CsvUpload(MAX_FIELD, new CsvRecordGuard.Limits(100, 1000, 8, 5000)), accepted::add,
                rejected::add);
        assertEquals(List.of(), rejected);
        assertEquals(expected, accepted.stream().map(ContactRow::line).toList());
    }

    @Test
    void headerNamesIgnoreCaseAndOrderAndUnknownColumnsAreIgnored() throws IOException {
        read("""
                Phone,Extra,EMAIL,Name
                +1,whatever,ann@example.com,Ann
                """);
        assertEquals(List.of(new ContactRow(2, "ann@example.com", "Ann", null, "+1")), accepted);
    }

    @Test
    void badRowsAreRejectedWithTheirLineAndTheRestGoesOn() throws IOException {
        read(("""
                email,name
                ,No Email
                not-an-email,Bad
                ann@example.com,%s
                a@localhost,No dot in the domain
                bob@example.com,Bob
                """).formatted("x".repeat(MAX_FIELD + 1)));
        assertEquals(List.of(new RowError(2, "missing email"), new RowError(3, "invalid email"),
                new RowError(4, "name longer than " + MAX_FIELD + " characters"), new RowError(5, "invalid email")), rejected);
        assertEquals(List.of(new ContactRow(6, "bob@example.com", "Bob", null, null)), accepted);
    }

    @Test
    void emptyLinesAreNotRows() throws IOException {
        read("email\n\nann@example.com\n\n\nbob@example.com\n\n");
        assertEquals(List.of("ann@example.com", "bob@example.com"), accepted.stream().map(ContactRow::email).toList());
        assertEquals(List.of(), rejected);
    }

    @Test
    void aFieldOfExactlyTheMaximumLengthIsAccepted() throws IOException {
        read("email,name\nann@example.com," + "x".repeat(MAX_FIELD) + "\n");
        assertEquals(1, accepted.size());
        assertEquals(List.of(), rejected);
    }

    @Test
    void anEmailOver254CharactersIsInvalidEvenWhenFieldsMayBeLonger() throws IOException {
        String local = "a".repeat(64);
        String longest = local + "@" + "b".repeat(61) + "." + "c".repeat(61) + "." + "d".repeat(62) + ".io"; // 254
        String tooLong = local + "@" + "b".repeat(61) + "." + "c".repeat(61) + "." + "d".repeat(63) + ".io"; // 255
        assertEquals(254, longest.length());
        read("email\n" + longest + "\n" + tooLong + "\n");
        assertEquals(List.of(2L), accepted.stream().map(ContactRow::line).toList());
        assertEquals(List.of(new RowError(3, "invalid email")), rejected);
    }

    @Test
    void aQuotedFieldSpanningLinesKeepsTheLineWhereItsRecordStarts() throws IOException {
        read("""
                email,name
                ann@example.com,"Ann
                on two lines"
                bob@example.com,Bob
                """);
        assertEquals(List.of(2L, 4L), accepted.stream().map(ContactRow::line).toList());
        assertEquals("Ann\non two lines", accepted.get(0).name());
    }

    @Test
    void anEmptyUploadIsRefused() {
        assertTrue(refused("").getMessage().startsWith("The upload is empty"));
    }

    @Test
    void aHeaderWithoutEmailIsRefusedNamingTheColumnsFound() {
        String detail = refused("name,phone\nAnn,+1\n").getMessage();
        assertTrue(detail.contains("'email' column") && detail.contains("name") && detail.contains("phone"), detail);
    }

    @Test
    void aDuplicateHeaderIsMalformed() {
        String detail = refused("email,name,EMAIL\na@b.co,A,c@d.co\n").getMessage();
        assertTrue(detail.startsWith("The CSV is malformed: "), detail);
    }

    @Test
    void brokenQuotingInARowIsMalformed() {
        String detail = refused("email,name\nann@example.com,\"Ann\" trailing\n").getMessage();
        assertTrue(detail.startsWith("The CSV is malformed: "), detail);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedInsteadOfMangled() {
        byte[] latin1 = "email,name\nann@example.com,Andr\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("The upload is not valid UTF-8 text.", refused(latin1).getMessage());
    }

    // --- bounds, enforced while the text streams in ---------------------------------------------------------------

    /** {@code size} bytes: {@code head}, then {@code filler} over and over; counts what the reader took. */
    private static final class Generated extends java.io.InputStream {
        private final byte[] head;
        private final byte filler;
        private final long size;
        long read;

        Generated(String head, char filler, long size) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.filler = (byte) filler;
            this.size = size;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            int b = read < head.length ? head[(int) read] : filler;
            read++;
            return b & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len && read < size) {
                b[off + n++] = (byte) read();
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }

    private static final long HUGE = 50L * 1024 * 1024;
    /** What the reader may take beyond a limit: the decoder's and the parser's buffers. */
    private static final long READ_AHEAD = 64 * 1024;

    private ProblemException refusedWhileStreaming(Generated body) {
        CsvUpload csv = new CsvUpload(MAX_FIELD, LIMITS);
        ProblemException e = assertThrows(ProblemException.class,
                () -> csv.read(body, CsvUpload.RowSink.of(accepted::add, rejected::add)));
        assertTrue(body.read < READ_AHEAD, "read " + body.read + " bytes of " + HUGE);
        assertEquals(400, e.status(), e.getMessage());
        return e;
    }

    @Test
    void aHugeQuotedFieldIsRefusedAfterReadingAboutTheRecordLimit() {
        String detail = refusedWhileStreaming(new Generated("email,name\nann@example.com,Ann\nbob@example.com,\"", 'x', HUGE))
                .getMessage();
        assertEquals("Line 3: the record is longer than 1000 bytes (import.uploads.max-record-bytes).", detail);
    }

    @Test
    void aHugeLineOfCommasIsRefusedAfterReadingAboutTheColumnLimit() {
        String detail = refusedWhileStreaming(new Generated("email\nann@example.com", ',', HUGE)).getMessage();
        assertEquals("The CSV is malformed: line 2 has more than 8 columns (import.uploads.max-columns).", detail);
    }

    @Test
    void aHugeHeaderIsRefusedAfterReadingAboutTheHeaderLimit() {
        String detail = refusedWhileStreaming(new Generated("name,", 'x', HUGE)).getMessage();
        assertEquals("The header row is longer than 100 bytes (import.uploads.max-header-bytes).", detail);
    }

    @Test
    void aRecordOfExactlyTheLimitInUtf8BytesIsAcceptedOneMoreIsNot() throws IOException {
        String prefix = "ann@example.com,Ann,";
        String other = "\u00e9".repeat((1000 - prefix.length()) / 2); // 2 bytes each: the record is exactly 1000 bytes
        read("email,name,other\n" + prefix + other + "\n");
        assertEquals(List.of(), rejected);
        assertEquals(1, accepted.size());
        ProblemException e = refused("email,name,other\n" + prefix + other + "x\n");
        assertTrue(e.getMessage().contains("longer than 1000 bytes"), e.getMessage());
    }

    @Test
    void moreRowsThanTheLimitAre413() throws IOException {
        read("email\n" + "ann@example.com\n".repeat(20));
        assertEquals(20, accepted.size());
        ProblemException e = assertThrows(ProblemException.class,
                () -> read(("email\n" + "ann@example.com\n".repeat(21)).getBytes(StandardCharsets.UTF_8), MAX_FIELD));
        assertEquals(413, e.status());
        assertEquals("The upload has more than 20 rows (import.uploads.max-rows).", e.getMessage());
    }

    @Test
    void aWideHeaderWithoutEmailIsNotEchoedWhole() throws IOException {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            header.append(i == 0 ? "" : ",").append("column").append(i);
        }
        Path file = Files.write(dir.resolve("wide.csv"), (header + "\nx\n").getBytes(StandardCharsets.UTF_8));
        CsvUpload wide = new CsvUpload(MAX_FIELD, new CsvRecordGuard.Limits(100_000, 100_000, 2000, 10));
        ProblemException e = assertThrows(ProblemException.class, () -> CsvUpload.forEach(file, wide, r -> { }, r -> { }));
        assertTrue(e.getMessage().startsWith("The header row must contain an 'email' column (found 1000 columns: column0,column1,"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void aDuplicateHeaderIsNamedInTheProjectsWords() {
        assertEquals("The CSV is malformed: the header row names the column 'EMAIL' twice (names ignore case).",
                refused("email,name,EMAIL\na@b.co,A,c@d.co\n").getMessage());
        assertEquals("The CSV is malformed: column 2 of the header row has no name.", refused("email,,name\na@b.co,,A\n").getMessage());
    }

    @Test
    void quotingFaultsSayWhereAndWhatInTheProjectsWords() {
        assertEquals("The CSV is malformed: line 3: text after the closing quote of a quoted field (a quote inside a "
                + "quoted field is written twice: \"\").", refused("email,name\nann@example.com,Ann\nb@b.co,\"B\"x\n").getMessage());
        assertEquals("The CSV is malformed: the quoted field that starts on line 2 is never closed.",
                refused("email,name\nann@example.com,\"Ann\nbob@example.com,Bob\n").getMessage());
    }

    // --- line numbers and hygiene --------------------------------------------------------------------------------

    @Test
    void rowsAfterBlankLinesKeepTheirOwnLineNumbers() throws IOException {
        read("email\n\nann@example.com\n\n\nbob@example.com\n  \n\"carl@example.com\"\n");
        assertEquals(List.of(3L, 6L, 8L), accepted.stream().map(ContactRow::line).toList());
        assertEquals(List.of(new RowError(7, "missing email")), rejected); // a line of spaces is a row without email
    }

    @Test
    void crlfAndCrLineEndsAndQuotedLineBreaksCountLikeLines() throws IOException {
        read("email,name\r\n\r\nann@example.com,\"A\r\nB\"\r\nbob@example.com,Bob\r\rcarl@example.com,C");
        assertEquals(List.of(3L, 5L, 7L), accepted.stream().map(ContactRow::line).toList());
        assertEquals("A\r\nB", accepted.get(0).name());
    }

    @Test
    void aUtf8ByteOrderMarkIsNotPartOfTheFirstColumnsName() throws IOException {
        read("\uFEFFemail,name\nann@example.com,Ann\n");
        assertEquals(List.of(new ContactRow(2, "ann@example.com", "Ann", null, null)), accepted);
    }

    @Test
    void controlAndBidiOverrideCharactersRejectTheRowOtherValuesAreKeptAsTheyAre() throws IOException {
        read("""
                email,name,country,phone
                a@example.com,A\u0000nn,fr,+1
                b@example.com,Bob,fr,+1\u00072
                c@example.com,\u202Eevil,fr,+1
                d@example.com,Dee\u2066,fr,+1
                e@example.com,Eve\u0085,fr,+1
                f@example.com,"Fay\tTab",fr,+33 1 23
                g@example.com,=cmd|' /C calc'!A0,fr,+1
                """);
        assertEquals(List.of(new RowError(2, "name contains a NUL character"), new RowError(3, "phone contains a control character"),
                new RowError(4, "name contains a bidirectional override character"),
                new RowError(5, "name contains a bidirectional override character"),
                new RowError(6, "name contains a control character")), rejected);
        assertEquals(List.of(new ContactRow(7, "f@example.com", "Fay\tTab", "fr", "+33 1 23"),
                new ContactRow(8, "g@example.com", "=cmd|' /C calc'!A0", "fr", "+1")), accepted);
    }
}
