package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.as;
import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.basic;
import static dev.edapatterns.importapp.ImportTestSupport.quietSnapshot;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Every request-level fault: a problem+json answer and not one committed record on any topic. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ImportRequestFaultsTest {

    @TestHTTPResource("/imports")
    URL imports;

    private static ValidatableResponse csv(byte[] body) {
        return asImporter().contentType("text/csv").body(body).post("/imports").then();
    }

    private static void assertProblem(ValidatableResponse response, int status, String detailPart) {
        response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("detail", containsString(detailPart));
    }

    /** Not one committed record on any topic since the snapshot, once whatever the requests started has finished. */
    private static void assertNothingCommitted(CommittedRecords snapshot) {
        assertEquals(Map.of(), snapshot.newRecordsWhenSettled());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void badRequestsProduceNothing() {
        CommittedRecords snapshot = quietSnapshot();
        String ok = "email\nzed@example.com\n";

        // the server chooses channels: one named by the client (even a valid, unguessable-looking one) is refused
        assertProblem(asImporter().contentType("text/csv").body(utf8(ok)).queryParam("channelId", "aaaaaaaaaaaaaaaa")
                .post("/imports").then(), 400, "channelId is chosen by the server");
        assertProblem(asImporter().multiPart("channelId", "aaaaaaaaaaaaaaaa").multiPart("file", "c.csv", utf8(ok), "text/csv")
                .post("/imports").then(), 400, "channelId is chosen by the server");
        // only importers (and import-admin) upload: anonymous 401, other roles 403, a wrong password 401
        assertProblem(given().contentType("text/csv").body(utf8(ok)).post("/imports").then(), 401, "");
        assertProblem(given().multiPart("file", "c.csv", utf8(ok), "text/csv").post("/imports").then(), 401, "");
        assertProblem(given().contentType("text/csv").body(new byte[0]).post("/imports").then(), 401, "");
        assertProblem(given().auth().preemptive().basic("importer", "wrong").contentType("text/csv").body(utf8(ok))
                .post("/imports").then(), 401, "");
        for (String user : List.of("clerk", "crm", "alice@example.com")) {
            assertProblem(as(user).contentType("text/csv").body(utf8(ok)).post("/imports").then(), 403, "");
        }
        assertProblem(csv(new byte[0]), 400, "empty");
        assertProblem(csv(utf8("name,phone\nAnn,1\n")), 400, "'email' column");
        assertProblem(csv(utf8("ann@example.com,Ann\nbob@example.com,Bob\n")), 400, "'email' column");
        assertProblem(csv(new byte[] { 'e', 'm', 'a', 'i', 'l', '\n', 'a', '@', 'b', '.', 'c', (byte) 0xC3, 0x28, '\n' }),
                400, "not valid UTF-8");
        assertProblem(csv(utf8("email,name\n\"ann@example.com,Ann\n")), 400, "malformed");
        assertProblem(csv(utf8("email,name\n\"ann@example.com\"x,Ann\n")), 400, "malformed");
        assertProblem(csv(utf8("email,email\na@b.co,c@d.co\n")), 400, "malformed");
        assertProblem(asImporter().contentType("application/json").body("{}")
                .post("/imports").then(), 415, "content type");
        assertProblem(asImporter().multiPart("note", "no file").post("/imports").then(), 400, "'file'");
        assertNothingCommitted(snapshot);

        // the same helper does see a valid upload: the zero above is a real zero
        csv(utf8(ok)).statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshot.newRecords("import.jobs") >= 1);
    }

    @Test
    void tooBigUploadIs413AndProducesNothing() throws Exception {
        CommittedRecords snapshot = quietSnapshot();
        byte[] big = utf8("email\n" + "x@example.com\n".repeat(70 * 1024 / 14)); // > 64 KB (test limit)

        assertProblem(csv(big), 413, "larger than the limit");
        assertProblem(asImporter().multiPart("file", "big.csv", big, "text/csv")
                .post("/imports").then(), 413, "larger than the limit");
        // streamed without Content-Length: counted while spooling
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(imports.toString())).header("Content-Type", "text/csv").header("Authorization", basic("importer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals("application/problem+json", chunked.headers().firstValue("Content-Type").orElse("").split(";")[0]);

        assertNothingCommitted(snapshot);
    }

    @Test
    void tooManyConcurrentUploadsGet429() throws Exception {
        CommittedRecords snapshot = quietSnapshot();
        // an upload that holds the only permit (test profile) while its body trickles in
        PipedOutputStream trickle = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(trickle, 64 * 1024); // room for the first chunk
        // more than Quarkus REST's input buffer (10 KB), so the resource starts reading and takes the permit
        trickle.write(utf8("email\n" + "slow@example.com\n".repeat(1000)));
        trickle.flush();
        CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create(imports.toString())).header("Content-Type", "text/csv").header("Authorization", basic("importer"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        // a row now and then, well within import.uploads.read-timeout (2 s in tests): the upload keeps its permit
        ScheduledExecutorService rows = Executors.newSingleThreadScheduledExecutor();
        rows.scheduleWithFixedDelay(() -> {
            try {
                trickle.write(utf8("slow@example.com\n"));
                trickle.flush();
            } catch (java.io.IOException closed) {
                // the upload ended
            }
        }, 0, 300, TimeUnit.MILLISECONDS);
        try {
            // an empty upload is refused after taking a permit, so while we wait for the slow one to hold it,
            // every probe is either 400 (permit was free, nothing produced) or the 429 we want
            await().atMost(Duration.ofSeconds(30)).until(() -> csv(new byte[0]).extract().statusCode() == 429);
            assertProblem(csv(utf8("email\nq@example.com\n")), 429, "Too many uploads");
            assertNothingCommitted(snapshot);
        } finally {
            rows.shutdown();
            rows.awaitTermination(5, TimeUnit.SECONDS);
            trickle.close(); // the slow upload ends: a valid import
            slow.get(30, TimeUnit.SECONDS);
        }
    }
}
