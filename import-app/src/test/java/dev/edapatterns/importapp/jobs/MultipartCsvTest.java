package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

@Tag("unit")
class MultipartCsvTest {

    private static final String TYPE = "multipart/form-data; boundary=XyZ";
    private static final long OVERHEAD = 2048;

    private static String part(String name, String content) {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"f.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + content + "\r\n";
    }

    private static String read(String contentType, String body) throws IOException {
        InputStream file = new MultipartCsv(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), contentType, OVERHEAD);
        return new String(file.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static ProblemException refused(String contentType, String body) {
        return assertThrows(ProblemException.class, () -> read(contentType, body));
    }

    @Test
    void theFileFieldIsStreamedExactlyWhateverSurroundsIt() throws IOException {
        // almost a delimiter (CRLF "--XyZ"), and the boundary where it is none (not after a line break)
        String csv = "email,name\r\nann@example.com,\"A\r\n--XyA --XyZ\r\n-XyZ\"\r\n";
        String body = "preamble\r\n" + part("note", "hello") + part("file", csv) + part("other", "x") + "--XyZ--\r\nepilogue";
        assertEquals(csv, read(TYPE, body));
        assertEquals(csv, read("multipart/form-data; charset=utf-8; boundary=\"XyZ\"", body));
    }

    @Test
    void aChannelIdAnywhereInTheFormIsRefusedBeforeTheFileCounts() {
        ProblemException e = refused(TYPE, part("file", "email\n") + part("channelId", "aaaaaaaaaaaaaaaa") + "--XyZ--\r\n");
        assertEquals(400, e.status());
        assertEquals(ProblemTypes.INVALID_PARAMETER, e.toProblem("/imports").type());
    }

    @Test
    void aFormWithoutOneFileIsInvalid() {
        assertEquals("The form needs a 'file' field with the CSV.", refused(TYPE, part("note", "x") + "--XyZ--\r\n").getMessage());
        assertEquals("The form may carry only one 'file' field.",
                refused(TYPE, part("file", "email\n") + part("file", "email\n") + "--XyZ--\r\n").getMessage());
    }

    @Test
    void brokenFormsAreMalformed() {
        assertEquals("The form is malformed: multipart/form-data needs a boundary parameter of 1 to 70 characters.",
                refused("multipart/form-data", part("file", "email\n")).getMessage());
        assertEquals("The form is malformed: the body ends before its closing boundary.",
                refused(TYPE, part("file", "email\nann@example.com\n")).getMessage());
        assertEquals("The form is malformed: the body ends inside a part's headers.",
                refused(TYPE, "--XyZ\r\nContent-Disposition: form-data; name=\"file\"").getMessage());
    }

    @Test
    void whatSurroundsTheFileIsBounded() {
        ProblemException field = refused(TYPE, part("note", "x".repeat(9000)) + part("file", "email\n") + "--XyZ--\r\n");
        assertEquals(413, field.status(), field.getMessage()); // past the form's overhead (2 KB here) before its 8 KB
        ProblemException header = refused(TYPE, "--XyZ\r\nX-Pad: " + "x".repeat(70_000) + "\r\n\r\n");
        assertEquals(400, header.status());
        assertEquals("The form is malformed: a part header line is longer than 8192 bytes.", header.getMessage());
    }
}
