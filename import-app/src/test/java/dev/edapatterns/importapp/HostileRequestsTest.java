package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.basic;
import static dev.edapatterns.importapp.ImportTestSupport.quietSnapshot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A corpus of hostile requests against the test profile's limits (64 KB uploads, 5,000 rows, 64 columns, 1 KB header,
 * 4 KB records, 2 s read timeout, one upload at a time), each sent as the user who may make the request, so the refusal
 * comes from the bounds: each answers its status and problem type as {@code application/problem+json}, commits not
 * one record to any topic, and leaves the app ready.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestsTest {

    private static final String MALFORMED = ProblemTypes.MALFORMED_BODY;
    private static final String INVALID = ProblemTypes.INVALID_REQUEST;
    private static final String PARAMETER = ProblemTypes.INVALID_PARAMETER;
    private static final String TOO_LARGE = ProblemTypes.TOO_LARGE;
    private static final String KEY = ProblemTypes.INVALID_IDEMPOTENCY_KEY;
    private static final String BOUNDARY = "b0undary";
    private static final String FORM = "multipart/form-data; boundary=" + BOUNDARY;

    @TestHTTPResource("/")
    URL base;

    /** A request and what must come back. */
    record Hostile(String method, String path, String user, String contentType, byte[] body, Map<String, String> headers,
            int status, String type) {
    }

    /** The answer, whatever client sent the request. */
    record Answer(int status, String contentType, String body) {
        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    static Stream<Named<Hostile>> corpus() {
        List<Named<Hostile>> c = new ArrayList<>();
        String ok = "email,name\nann@example.com,Ann\n";
        // CSV structure, bounded while it streams
        c.add(csv("a quoted field over the record limit", "email,name\nann@example.com,\"" + "x".repeat(10_000) + "\"\n", 400, MALFORMED));
        c.add(csv("an unclosed quoted field running to the end", "email,name\nann@example.com,\"" + "x".repeat(30_000), 400, MALFORMED));
        c.add(csv("a line of commas over the column limit", "email\nann@example.com" + ",".repeat(20_000) + "\n", 400, MALFORMED));
        c.add(csv("a header over the header limit", "email," + "n".repeat(5_000) + "\n", 400, MALFORMED));
        c.add(csv("a header of 65 columns", "email" + ",c".repeat(64) + "\nann@example.com\n", 400, MALFORMED));
        c.add(csv("more rows than import.uploads.max-rows", "email\n" + "a@b.co\n".repeat(5_001), 413, TOO_LARGE));
        c.add(csv("a wide header without email", header(60) + "\nx\n", 400, INVALID));
        c.add(csv("no email column", "name,phone\nAnn,+1\n", 400, INVALID));
        c.add(csv("a duplicate column", "email,name,EMAIL\na@b.co,A,c@d.co\n", 400, MALFORMED));
        c.add(csv("a column without a name", "email,,name\na@b.co,,A\n", 400, MALFORMED));
        c.add(csv("text after a closing quote", "email,name\n\"ann@example.com\"x,Ann\n", 400, MALFORMED));
        c.add(csv("an empty body", "", 400, MALFORMED));
        c.add(csv("only a byte order mark", "\uFEFF", 400, MALFORMED));
        c.add(bytes("Latin-1 bytes", "text/csv", "email,name\nann@example.com,Andr\u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
                400, MALFORMED));
        c.add(bytes("UTF-16 text", "text/csv", ok.getBytes(StandardCharsets.UTF_16), 400, MALFORMED));
        c.add(bytes("over import.uploads.max-bytes", "text/csv", ("email\n" + "x@example.com\n".repeat(5_000)).getBytes(
                StandardCharsets.UTF_8), 413, TOO_LARGE));
        c.add(named("a channelId chosen by the client", new Hostile("POST", "/imports?channelId=aaaaaaaaaaaaaaaa", "importer",
                "text/csv", utf8(ok), Map.of(), 400, PARAMETER)));
        // Idempotency-Key: printable ASCII, 1..255
        c.add(keyed("an Idempotency-Key of 256 characters", "k".repeat(256)));
        c.add(keyed("an empty Idempotency-Key", ""));
        c.add(keyed("an Idempotency-Key with a tab", "a\tb"));
        c.add(keyed("an Idempotency-Key with a non-ASCII letter", "cl\u00e9"));
        // multipart/form-data, read by the app under the same bounds
        c.add(form("a form over import.uploads.max-bytes", part("file", "email\n" + "x@example.com\n".repeat(5_000)) + end(),
                413, TOO_LARGE));
        c.add(form("a form with a channelId after the file", part("file", ok) + part("channelId", "aaaaaaaaaaaaaaaa") + end(),
                400, PARAMETER));
        c.add(form("a form with two files", part("file", ok) + part("file", ok) + end(), 400, INVALID));
        c.add(form("a form without a file", part("note", "hello") + end(), 400, INVALID));
        c.add(form("a form cut before its closing boundary", part("file", ok), 400, MALFORMED));
        c.add(form("a form field over 8 KB", part("note", "x".repeat(9_000)) + part("file", ok) + end(), 400, MALFORMED));
        c.add(form("a part header line over 8 KB", "--" + BOUNDARY + "\r\nX-Pad: " + "x".repeat(9_000) + "\r\n\r\n" + ok
                + end(), 400, MALFORMED));
        c.add(form("a form whose file has a huge quoted field", part("file", "email,name\na@b.co,\"" + "x".repeat(20_000) + "\"\n")
                + end(), 400, MALFORMED));
        c.add(bytes("a form without a boundary", "multipart/form-data", utf8(part("file", ok) + end()), 400, MALFORMED));
        c.add(bytes("another media type", "application/json", utf8("{\"email\":\"a@b.co\"}"), 415, null));
        // ids and paths: echoed clipped, never whole
        c.add(named("a 3,000-character import id", new Hostile("GET", "/imports/" + "i".repeat(3_000), "importer", null, null,
                Map.of(), 404, null)));
        // a delete writes a tombstone for any email, so a key that is no email is refused before it is written
        c.add(named("DELETE of a 3,000-character contact email", new Hostile("DELETE", "/contacts/" + "e".repeat(3_000), "crm",
                null, null, Map.of(), 400, PARAMETER)));
        c.add(named("DELETE of a 255-character contact email", new Hostile("DELETE", "/contacts/" + "e".repeat(243)
                + "@example.com", "crm", null, null, Map.of(), 400, PARAMETER)));
        c.add(named("DELETE of an email with a space", new Hostile("DELETE", "/contacts/ann%20x@example.com", "crm", null,
                null, Map.of(), 400, PARAMETER)));
        c.add(named("DELETE of an email with a control character", new Hostile("DELETE", "/contacts/ann%01@example.com", "crm",
                null, null, Map.of(), 400, PARAMETER)));
        return c.stream();
    }

    /** Taken before the first request of the corpus; every request of it must leave it unchanged. */
    private static CommittedRecords beforeCorpus;

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void isRefusedWithAProblem(Hostile h) throws Exception {
        if (beforeCorpus == null) {
            beforeCorpus = quietSnapshot();
        }
        assertRefused(send(h), h.status(), h.type(), null);
        // zero committed records per request: the total since the corpus began, checked next once everything has
        // settled, is zero only if each request's is (a Kafka read per request would double the corpus' time)
    }

    @Test
    @Order(2)
    void theCorpusCommittedNothingOnceSettled() {
        assertTrue(beforeCorpus != null, "the corpus ran first");
        assertEquals(Map.of(), beforeCorpus.newRecordsWhenSettled());
    }

    @Test
    @Order(3)
    void aStalledUploadIsCutAfterTheReadTimeoutAndFreesItsPermit() throws Exception {
        CommittedRecords snapshot = quietSnapshot();
        // more than Quarkus REST's 10 KB input buffer, so the app is reading (under the permit) when the client stalls
        byte[] head = utf8("email\n" + "stall@example.com\n".repeat(700));
        long start = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(utf8("POST /imports HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basic("importer")
                    + "\r\nContent-Type: text/csv\r\nContent-Length: " + (head.length + 1_000) + "\r\n\r\n"));
            out.write(head);
            out.flush();
            // Quarkus' blocking read gives up and closes the connection: the client that went quiet gets no answer, or,
            // when the app's 408 reaches the socket before Vert.x's close does (seen on a busy box), that 408
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            assertTrue(statusLine == null || statusLine.startsWith("HTTP/1.1 408 "), "no answer or a 408: " + statusLine);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited >= 1_500 && waited < 10_000, "cut after about import.uploads.read-timeout (2 s): " + waited + " ms");
        assertEquals(Map.of(), snapshot.newRecordsWhenSettled());
        Management.given().get("/q/health/ready").then().statusCode(200);
        // the permit is free again: the next upload is served (a 400 here, not a 429)
        assertEquals(400, asImporter().contentType("text/csv").body(new byte[0]).post("/imports").statusCode());
    }

    @Test
    @Order(4)
    void aKeyWhoseFirstRequestIsStillArrivingAnswers409() throws Exception {
        CommittedRecords snapshot = quietSnapshot();
        PipedOutputStream trickle = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(trickle, 64 * 1024);
        trickle.write(utf8("email\n" + "slow@example.com\n".repeat(1000)));
        trickle.flush();
        CompletableFuture<HttpResponse<String>> first = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create(base + "imports")).header("Content-Type", "text/csv").header("Authorization", basic("importer"))
                .header("Idempotency-Key", "in-flight-1").POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            // the first upload holds the only permit (test profile) once an unkeyed probe gets 429
            await().atMost(Duration.ofSeconds(20)).until(() -> asImporter().contentType("text/csv").body(new byte[0])
                    .post("/imports").statusCode() == 429);
            Answer second = send(new Hostile("POST", "/imports", "importer", "text/csv", utf8("email\nlee@example.com\n"),
                    Map.of("Idempotency-Key", "in-flight-1"), 409, null));
            assertRefused(second, 409, ProblemTypes.IDEMPOTENCY_KEY_IN_FLIGHT, null);
        } finally {
            trickle.write(utf8("\"never closed\n")); // the first upload then fails: nothing of it is kept
            trickle.close();
        }
        assertEquals(400, first.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(Map.of(), snapshot.newRecordsWhenSettled());
    }

    private static void assertRefused(Answer answer, int status, String type, CommittedRecords snapshot) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.contentType().split(";")[0].trim(), answer.body());
        JsonPath problem = answer.json();
        assertEquals(status, problem.getInt("status"), answer.body());
        if (type != null) {
            assertEquals(type, problem.getString("type"), answer.body());
        }
        String detail = problem.getString("detail");
        assertTrue(detail != null && detail.length() <= 300, "detail bounded: " + detail);
        assertTrue(!detail.contains("commons") && !detail.contains("Exception") && !detail.contains("setDuplicate"), detail);
        if (snapshot != null) {
            assertEquals(Map.of(), snapshot.newRecordsWhenSettled());
        }
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    private Answer send(Hostile h) throws Exception {
        if (h.headers().values().stream().anyMatch(v -> v.isEmpty() || v.chars().anyMatch(c -> c > 0x7E))) {
            return sendRaw(h); // header values java.net.http refuses to send (or drops)
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + h.path().substring(1)))
                .header("Authorization", basic(h.user())).timeout(Duration.ofSeconds(30));
        h.headers().forEach(request::header);
        if (h.body() == null) {
            request.method(h.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", h.contentType()).method(h.method(), HttpRequest.BodyPublishers.ofByteArray(h.body()));
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    private Answer sendRaw(Hostile h) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(h.method() + " " + h.path() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\nAuthorization: " + basic(h.user()) + "\r\nContent-Type: " + h.contentType()
                    + "\r\nContent-Length: " + h.body().length + "\r\n");
            h.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(h.body());
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /** Status line, headers and body of an HTTP/1.1 answer on a connection the server closes after it. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        String[] lines = all.substring(0, end).split("\r\n");
        Function<String, String> header = name -> Stream.of(lines).filter(l -> l.toLowerCase().startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("");
        String body = all.substring(end + 4);
        if (header.apply("transfer-encoding").equalsIgnoreCase("chunked")) {
            StringBuilder joined = new StringBuilder();
            for (int at = 0, size; (size = Integer.parseInt(body.substring(at, body.indexOf("\r\n", at)).trim(), 16)) > 0; ) {
                int start = body.indexOf("\r\n", at) + 2;
                joined.append(body, start, start + size);
                at = start + size + 2;
            }
            body = joined.toString();
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), header.apply("content-type"), body);
    }

    private static Named<Hostile> csv(String name, String csv, int status, String type) {
        return bytes(name, "text/csv", utf8(csv), status, type);
    }

    private static Named<Hostile> bytes(String name, String contentType, byte[] body, int status, String type) {
        return named(name, new Hostile("POST", "/imports", "importer", contentType, body, Map.of(), status, type));
    }

    private static Named<Hostile> form(String name, String body, int status, String type) {
        return bytes(name, FORM, utf8(body), status, type);
    }

    private static Named<Hostile> keyed(String name, String key) {
        return named(name, new Hostile("POST", "/imports", "importer", "text/csv", utf8("email\nkey@example.com\n"),
                Map.of("Idempotency-Key", key), 400, KEY));
    }

    private static Named<Hostile> named(String name, Hostile h) {
        return Named.of(name, h);
    }

    private static String part(String field, String content) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"c.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n" + content + "\r\n";
    }

    private static String end() {
        return "--" + BOUNDARY + "--\r\n";
    }

    private static String header(int columns) {
        StringBuilder header = new StringBuilder("column0");
        for (int i = 1; i < columns; i++) {
            header.append(",column").append(i);
        }
        return header.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
