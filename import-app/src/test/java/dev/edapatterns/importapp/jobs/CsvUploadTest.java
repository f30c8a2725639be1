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

    @TempDir
    Path dir;

    private final List<ContactRow> accepted = new ArrayList<>();
    private final List<RowError> rejected = new ArrayList<>();

    private void read(String csv) throws IOException {
        read(csv.getBytes(StandardCharsets.UTF_8), MAX_FIELD);
    }

    private void read(byte[] bytes, int maxFieldLength) throws IOException {
        Path file = Files.write(dir.resolve("upload.csv"), bytes);
        CsvUpload.forEach(file, maxFieldLength, accepted::add, rejected::add);
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
}
