package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.as;
import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static dev.edapatterns.importapp.ImportTestSupport.progressOf;
import static dev.edapatterns.importapp.ImportTestSupport.quietSnapshot;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportJob;
import dev.edapatterns.contracts.progress.ChannelId;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Upload -> jobs -> importer -> aggregate -> progress, with job size 5 rows (test profile). */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ImportFlowTest {

    /** 12 data rows: line 5 has no email, line 9 an invalid one; 10 valid rows -> 2 jobs of 5. */
    static final String CSV = """
            email,name,country,phone,ignored
            Ann@Example.com, Ann ,fr,+33 1,x
            bob@example.com,Bob,DE,,x
            "carl@example.com","Carl, Jr.",JP,+81,x
            ,No Email,FR,,x
            dan@example.com,Dan,US,,x
            eve@example.com,"Eve
            Multi",GB,,x
            fay@example.com,Fay,,,x
            not-an-email,Bad,FR,,x
            gus@example.com,Gus,IT,,x
            hal@example.com,Hal,ES,,x
            ivy@example.com,Ivy,PT,,x
            jon@example.com,Jon,NL,,x
            """;

    @Test
    void csvUploadIsImportedAndReportedOnce() {
        CommittedRecords before = quietSnapshot();
        String metricsBefore = Management.given().get("/q/metrics").asString();

        var response = asImporter().contentType("text/csv").body(CSV)
                .post("/imports").then().statusCode(202).extract();
        String importId = response.path("importId");
        String channel = response.path("channelId");
        assertTrue(ChannelId.isValid(channel), channel);
        assertTrue(response.path("channelToken").toString().split("\\.").length == 3, "a signed token (compact JWS)");
        assertTrue(response.header("Location").endsWith("/imports/" + importId), response.header("Location"));
        assertTrue(importId != null && !importId.isBlank());

        JsonPath status = awaitFinished(importId);
        assertEquals("COMPLETED", status.getString("state"));
        assertEquals(2, status.getInt("jobsTotal"));
        assertEquals(2, status.getInt("jobsDone"));
        assertEquals(10, status.getLong("rowsImported"));
        assertEquals(2, status.getLong("rowsRejected"));
        assertEquals(List.of(5, 10), status.getList("errors.line", Integer.class));
        assertEquals(List.of("missing email", "invalid email"), status.getList("errors.reason", String.class));

        Contact ann = ContactRecords.awaitContact("ann@example.com");
        assertEquals("ann@example.com", ann.email());
        assertEquals("Ann", ann.name());
        assertEquals("FR", ann.country());
        assertEquals(importId, ann.importId());
        assertEquals("Eve\nMulti", ContactRecords.awaitContact("EVE@example.com").name());

        await().atMost(Duration.ofSeconds(30)).until(() -> progressOf(channel).stream()
                .anyMatch(e -> e.type() == ProgressType.COMPLETED));
        List<ProgressType> types = progressOf(channel).stream().map(ProgressEvent::type).toList();
        assertEquals(ProgressType.ACCEPTED, types.get(0));
        assertEquals(1, types.stream().filter(t -> t == ProgressType.ACCEPTED).count());
        assertEquals(2, types.stream().filter(t -> t == ProgressType.CONSUMED).count());
        assertEquals(2, types.stream().filter(t -> t == ProgressType.PROCESSED).count());
        assertEquals(1, types.stream().filter(t -> t == ProgressType.COMPLETED).count());
        assertEquals(ProgressType.COMPLETED, types.get(types.size() - 1));
        ProgressEvent completed = progressOf(channel).get(types.size() - 1);
        assertEquals(10, completed.rowsImported());
        assertEquals(2, completed.rowsRejected());

        Map<String, Long> produced = before.newRecords();
        assertEquals(2L, produced.get(Topics.IMPORT_JOBS.name()), produced.toString());
        assertEquals(10L, produced.get(Topics.IMPORT_CONTACTS.name()), produced.toString());

        // /q/metrics (no auth): this import counted once, its rows with it; rows/s is rate() of the rows counter
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(1, delta(metricsBefore, metrics, "import_imports_started_total"));
        assertEquals(10, delta(metricsBefore, metrics, "import_rows_imported_total"));
        assertEquals(2, delta(metricsBefore, metrics, "import_jobs_imported_total"));
        assertEquals(2, delta(metricsBefore, metrics, "import_rows_rejected_total"));
        assertEquals(1, delta(metricsBefore, metrics, "import_imports_finished_total", "status", "completed"));
        assertEquals(1, Observability.value(metrics, "eventkit_store_loaded", "store", Topics.REFERENCE_TIMEZONES.name()));
        assertTrue(Observability.value(metrics, "eventkit_atomic_transactions_total", "store", "import-aggregate",
                "outcome", "committed") > 0);
    }

    /** A counter's growth; one not registered yet (its bean not used yet) was 0. */
    private static double delta(String before, String after, String name, String... labels) {
        boolean existed = Observability.samples(before).stream().anyMatch(s -> s.name().equals(name));
        return Observability.value(after, name, labels) - (existed ? Observability.value(before, name, labels) : 0);
    }

    @Test
    void aBodyBiggerThanTheInputBufferIsStreamedIntact() {
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < 1200; i++) {
            csv.append("big").append(i).append("@example.com,N").append(i).append('\n');
        }
        assertTrue(csv.length() > 20_000); // over the 10 KB REST input buffer, under the 64 KB test limit
        String importId = asImporter().contentType("text/csv").body(csv.toString())
                .post("/imports").then().statusCode(202).extract().path("importId");
        JsonPath status = awaitFinished(importId);
        assertEquals(240, status.getInt("jobsTotal"));
        assertEquals(1200, status.getLong("rowsImported"));
        assertEquals(0, status.getLong("rowsRejected"));
        assertEquals("N1199", ContactRecords.awaitContact("big1199@example.com").name());
    }

    @Test
    void anUnreadableJobFailsItsImportOnce() throws Exception {
        String channel = ChannelId.random();
        String importId = java.util.UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // registered as the jobs service does it, with two jobs ...
            RecordHeaders headers = new RecordHeaders();
            ImportCommand accepted = new ImportCommand(importId + ":accepted", importId, channel, ImportCommand.Type.ACCEPTED,
                    -1, 2, 0, 0, 0, null, List.of(), "importer");
            producer.send(new ProducerRecord<>(Topics.IMPORT_AGGREGATE_COMMANDS.name(), null, importId.getBytes(StandardCharsets.UTF_8),
                    Topics.IMPORT_AGGREGATE_COMMANDS.valueSerializer().serialize("c", headers, accepted), headers)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> asImporter().get("/imports/" + importId).statusCode() == 200);
            asImporter().get("/imports/" + importId).then().body("state", equalTo("PENDING"));
            // ... whose first job cannot be read
            producer.send(new ProducerRecord<>(Topics.IMPORT_JOBS.name(), (importId + ":0").getBytes(StandardCharsets.UTF_8),
                    "{\"importId\": [broken".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        assertEquals("FAILED", awaitFinished(importId).getString("state"));
        await().atMost(Duration.ofSeconds(30)).until(() -> progressOf(channel).stream().anyMatch(e -> e.type() == ProgressType.FAILED));
        assertEquals(1, progressOf(channel).stream().filter(e -> e.type() == ProgressType.FAILED).count());
    }

    @Test
    void multipartFormFromThePageIsAccepted() {
        var accepted = asImporter()
                .multiPart("file", "contacts.csv", "email,name\nkim@example.com,Kim\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/imports").then().statusCode(202).extract();
        String importId = accepted.path("importId");
        assertTrue(ChannelId.isValid(accepted.path("channelId")));
        JsonPath status = awaitFinished(importId);
        assertEquals("COMPLETED", status.getString("state"));
        assertEquals(1, status.getLong("rowsImported"));
        assertEquals("Kim", ContactRecords.awaitContact("kim@example.com").name());
    }

    @Test
    void idempotencyKeyReturnsTheSameImportAndChannelAndProducesNothingMore() {
        String body = "email\nlee@example.com\n";
        var first = asImporter().contentType("text/csv").header("Idempotency-Key", "upload-1").body(body)
                .post("/imports").then().statusCode(202).extract();
        String firstId = first.path("importId");
        awaitFinished(firstId);
        CommittedRecords afterFirst = quietSnapshot();

        var again = asImporter().contentType("text/csv").header("Idempotency-Key", "upload-1").body(body)
                .post("/imports").then().statusCode(202)
                .header("Location", endsWith("/imports/" + firstId)).extract();

        assertEquals(firstId, again.path("importId"));
        assertEquals((String) first.path("channelId"), again.path("channelId"), "a replay answers the same channel");
        assertEquals(Optional.empty(), tokens().refusal(again.path("channelToken"), first.path("channelId"), "importer"));
        assertEquals(Map.of(), afterFirst.newRecordsWhenSettled(), "the replayed upload produced nothing");
        // the key's file is fingerprinted (SHA-256, kept in the aggregate): the same bytes in a form are a replay too,
        // another file with the key is refused
        asImporter().header("Idempotency-Key", "upload-1").multiPart("file", "c.csv", body.getBytes(StandardCharsets.UTF_8),
                "text/csv").post("/imports").then().statusCode(202).body("importId", equalTo(firstId))
                .body("channelId", equalTo((String) first.path("channelId")));
        asImporter().contentType("text/csv").header("Idempotency-Key", "upload-1").body("email\nlee@example.org\n")
                .post("/imports").then().statusCode(422).contentType(startsWith("application/problem+json"))
                .body("type", equalTo(ProblemTypes.IDEMPOTENCY_KEY_REUSED));
        assertEquals(Map.of(), afterFirst.newRecordsWhenSettled(), "neither the form replay nor the refused reuse produced");
        String other = asImporter().contentType("text/csv").header("Idempotency-Key", "upload-2").body(body)
                .post("/imports").then().statusCode(202).extract().path("importId");
        assertTrue(!other.equals(firstId), "another key is another import");
        // keys are scoped per user: another importer's same key is their own import, not a replay of this one
        var foreign = as("importer2").contentType("text/csv").header("Idempotency-Key", "upload-1").body(body)
                .post("/imports").then().statusCode(202).extract();
        assertTrue(!foreign.path("importId").equals(firstId));
        assertTrue(!foreign.path("channelId").equals(first.path("channelId")));
        // the OpenAPI example's key gives the import id the GET example names (with the example's own file: the access
        // matrix sends that key and file too, and the key is bound to the file it came with first)
        asImporter().contentType("text/csv").header("Idempotency-Key", "contacts-2026-12-06")
                .body("email,name,country,phone\nann@example.com,Ann,FR,+33 1 23 45 67 89\n").post("/imports")
                .then().statusCode(202).body("importId", equalTo("ec8b21cd-3a56-3e20-b7a1-a2adc6163c1e"));
    }

    @Test
    void onlyTheStarterOrImportAdminSeesAnImportAndGetsAFreshToken() {
        var accepted = asImporter().contentType("text/csv").body("email\nowner@example.com\n").post("/imports").then()
                .statusCode(202).extract();
        String importId = accepted.path("importId");
        String channel = accepted.path("channelId");
        awaitFinished(importId);

        var mine = asImporter().get("/imports/" + importId).then().statusCode(200).body("channelId", equalTo(channel)).extract();
        assertEquals(Optional.empty(), tokens().refusal(mine.path("channelToken"), channel, "importer"));
        var admin = as("admin").get("/imports/" + importId).then().statusCode(200).body("channelId", equalTo(channel))
                .extract();
        assertEquals(Optional.empty(), tokens().refusal(admin.path("channelToken"), channel, "admin"), "issued to the caller");
        assertEquals(Optional.of("the channel token was issued to another user"),
                tokens().refusal(admin.path("channelToken"), channel, "importer"));

        assertForbidden(as("importer2").get("/imports/" + importId).then(), 403);
        assertForbidden(as("clerk").get("/imports/" + importId).then(), 403);
        assertForbidden(as("crm").get("/imports/" + importId).then(), 403);
        assertForbidden(given().get("/imports/" + importId).then(), 401);
        asImporter().get("/imports/no-such-import").then().statusCode(404);
    }

    @Test
    void theProgressPagesLoginCookieWorksHereFromThePagesOriginOnly() throws Exception {
        // the same cookie name and session key as notify-app, whose login form sets the cookie
        Properties notify = new Properties();
        try (var in = Files.newInputStream(Path.of("..", "notify-app", "src", "main", "resources", "application.properties"))) {
            notify.load(in);
        }
        for (String property : List.of("quarkus.http.auth.form.cookie-name", "%dev,test.quarkus.http.auth.session.encryption-key",
                "%prod.quarkus.http.auth.session.encryption-key", "%dev,test." + ChannelTokens.KEY_PROPERTY,
                "%prod." + ChannelTokens.KEY_PROPERTY)) {
            assertEquals(notify.getProperty(property), ConfigProvider.getConfig().getConfigValue(property).getRawValue(), property);
        }
        String cookieName = ConfigProvider.getConfig().getValue("quarkus.http.auth.form.cookie-name", String.class);
        String cookie = given().redirects().follow(false).formParam("j_username", "importer").formParam("j_password", "importer")
                .post("/j_security_check").then().extract().cookie(cookieName);
        assertTrue(cookie != null, "a session cookie");
        String importId = given().cookie(cookieName, cookie)
                .multiPart("file", "contacts.csv", "email\ncookie@example.com\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/imports").then().statusCode(202).extract().path("importId");
        awaitFinished(importId);
        given().cookie(cookieName, cookie).get("/imports/" + importId).then().statusCode(200);
        given().cookie(cookieName, "forged").get("/imports/" + importId).then().statusCode(401);

        // CORS: the page's origin may send the cookie along, no other origin
        given().header("Origin", "http://localhost:8082").header("Access-Control-Request-Method", "POST")
                .options("/imports").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8082")
                .header("Access-Control-Allow-Credentials", "true");
        var foreign = given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/imports").then().extract();
        assertEquals(null, foreign.header("Access-Control-Allow-Origin"), foreign.headers().toString());
    }

    static void assertForbidden(ValidatableResponse response, int status) {
        response.statusCode(status).contentType(startsWith("application/problem+json")).body("status", equalTo(status))
                .body(not(containsString("channelToken")));
    }

    static ChannelTokens tokens() {
        return ChannelTokens.fromBase64(ConfigProvider.getConfig().getValue(ChannelTokens.KEY_PROPERTY, String.class));
    }

    @Test
    void aRedeliveredJobChangesNothing() throws Exception {
        var accepted = asImporter().contentType("text/csv").body("email,name\nmay@example.com,May\nned@example.com,Ned\n")
                .post("/imports").then().statusCode(202).extract();
        String importId = accepted.path("importId");
        String channel = accepted.path("channelId");
        JsonPath done = awaitFinished(importId);
        Contact contactBefore = ContactRecords.awaitContact("may@example.com");
        int mayRecords = ContactRecords.of("may@example.com").size();
        ConsumerRecord<String, ImportJob> job = ImportTestSupport.read(Topics.IMPORT_JOBS).stream()
                .filter(r -> r.key().equals(importId + ":0")).findFirst().orElseThrow();
        CommittedRecords before = quietSnapshot();

        RecordMetadata redelivered;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            redelivered = producer.send(new ProducerRecord<>(Topics.IMPORT_JOBS.name(), null,
                    job.key().getBytes(StandardCharsets.UTF_8),
                    Topics.IMPORT_JOBS.valueSerializer().serialize(Topics.IMPORT_JOBS.name(), headers, job.value()), headers))
                    .get(10, TimeUnit.SECONDS);
        }
        // the importer group has consumed (and committed) past the redelivered job
        TopicPartition tp = new TopicPartition(redelivered.topic(), redelivered.partition());
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var committed = admin.listConsumerGroupOffsets("importer").partitionsToOffsetAndMetadata().get().get(tp);
                return committed != null && committed.offset() > redelivered.offset();
            });
        }
        Map<String, Long> produced = before.newRecords();
        assertEquals(Map.of(Topics.IMPORT_JOBS.name(), 1L), produced, "only the re-produced job itself");
        asImporter().get("/imports/" + importId).then().statusCode(200)
                .body("jobsDone", equalTo(done.getInt("jobsDone")))
                .body("rowsImported", equalTo(done.getInt("rowsImported")));
        assertEquals(contactBefore, ContactRecords.latest("may@example.com").orElseThrow());
        assertEquals(mayRecords, ContactRecords.of("may@example.com").size(), "no contact written again");
        assertEquals(1, progressOf(channel).stream().filter(e -> e.type() == ProgressType.COMPLETED).count());
    }
}
