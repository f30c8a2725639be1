package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.as;
import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ChannelId;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.importapp.aggregate.RecentImports;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /imports}: the caller's own newest imports, newest accepted first, bounded by {@code limit} (1..20,
 * default 20), the running ones with a fresh channel token; the list comes from the aggregate store topic alone, so a
 * restarted instance answers the same. Imports are registered as the jobs service does (an ACCEPTED command) with
 * accept times far ahead, so they head their starter's list whatever other tests imported.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ImportsListTest {

    private static final Instant FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void anImporterSeesTheirOwnImportsNewestFirstWithTokensForTheRunningOnes() throws Exception {
        String running = accepted("importer", FUTURE.plusSeconds(1), 2);
        String done = accepted("importer", FUTURE.plusSeconds(3), 0); // no jobs: COMPLETED at once
        String newer = accepted("importer", FUTURE.plusSeconds(2), 2);
        String others = accepted("importer2", FUTURE.plusSeconds(4), 2);
        String uploaded = asImporter().contentType("text/csv").body("email\nlist@example.com\n").post("/imports").then()
                .statusCode(202).extract().path("importId");
        awaitFinished(uploaded);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> ids = ids("importer");
            return ids.size() >= 3 && ids.subList(0, 3).equals(List.of(done, newer, running));
        });
        JsonPath list = asImporter().get("/imports").then().statusCode(200).extract().jsonPath();
        assertFalse(ids("importer").contains(others), "another importer's import");
        assertEquals("COMPLETED", list.getString("imports[0].state"));
        assertNull(list.get("imports[0].channelId"), "a final import has no channel to follow");
        assertNull(list.get("imports[0].channelToken"));
        assertEquals("PENDING", list.getString("imports[1].state"));
        assertEquals(2, list.getInt("imports[1].jobsTotal"));
        assertEquals(FUTURE.plusSeconds(2), Instant.parse(list.getString("imports[1].acceptedAt")));
        String channel = list.getString("imports[1].channelId");
        assertTrue(ChannelId.isValid(channel));
        assertEquals(Optional.empty(), ImportFlowTest.tokens().refusal(list.getString("imports[1].channelToken"), channel, "importer"),
                "a fresh token for the running import, issued to the caller");

        int at = ids("importer").indexOf(uploaded);
        assertTrue(at >= 3, "the upload of now comes after those accepted in 2100: " + at);
        assertEquals("COMPLETED", list.getString("imports[" + at + "].state"));
        assertEquals(1, list.getLong("imports[" + at + "].rowsImported"));
        assertNotNull(list.getString("imports[" + at + "].acceptedAt"));

        assertEquals(others, ids("importer2").get(0));
        assertTrue(ids("importer2").stream().noneMatch(List.of(running, done, newer, uploaded)::contains));
        // import-admin may open anyone's import by id, but lists only the imports they started
        assertTrue(ids("admin").stream().noneMatch(List.of(running, done, newer, others, uploaded)::contains));

        // what a restarted instance answers: the index rebuilt from the store topic alone
        try (CompactedStore<String, StoredState<ImportAggregate>> store = CompactedStore
                .builder(StoredState.topic(Topics.IMPORT_AGGREGATE_STORE)).start(TestKafka.clients().consumer(Map.of()))) {
            assertTrue(store.awaitLoaded(Duration.ofSeconds(30)));
            RecentImports rebuilt = RecentImports.following(store);
            assertEquals(ids("importer"), rebuilt.newest("importer", 20).stream().map(ImportAggregate::importId).toList());
        }
    }

    @Test
    void theListIsBoundedByLimitFromOneToTwenty() throws Exception {
        // import-admin's own list (their imports alone, like anyone's): no other test imports as admin
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            newestFirst.add(0, accepted("admin", FUTURE.plusSeconds(100 + i), 0));
        }
        // the default and the most: 20, newest first
        await().atMost(Duration.ofSeconds(30)).until(() -> ids("admin").equals(newestFirst.subList(0, 20)));
        assertEquals(newestFirst.subList(0, 3), as("admin").queryParam("limit", 3).get("/imports").then()
                .statusCode(200).extract().jsonPath().getList("imports.importId"));
        assertEquals(newestFirst.subList(0, 20), as("admin").queryParam("limit", 20).get("/imports").jsonPath()
                .getList("imports.importId"));
        for (String bad : List.of("0", "21", "-1", "abc", "2.5", "99999999999")) {
            as("admin").queryParam("limit", bad).get("/imports").then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo(ProblemTypes.INVALID_PARAMETER)).body("errors[0].field", equalTo("limit"));
        }
        given().get("/imports").then().statusCode(401).contentType(startsWith("application/problem+json"));
        as("clerk").get("/imports").then().statusCode(403).contentType(startsWith("application/problem+json"));
    }

    private static List<String> ids(String user) {
        return as(user).get("/imports").then().statusCode(200).extract().jsonPath().getList("imports.importId");
    }

    /**
     * Registers an import as the jobs service does (its ACCEPTED command) and sends no jobs: with jobs it stays PENDING,
     * without it is COMPLETED at once.
     */
    private static String accepted(String user, Instant at, int jobsTotal) throws Exception {
        String importId = UUID.randomUUID().toString();
        ImportCommand command = new ImportCommand(importId + ":accepted", importId, ChannelId.random(),
                ImportCommand.Type.ACCEPTED, -1, jobsTotal, 0, 0, 0, null, List.of(), user, null, at);
        RecordHeaders headers = new RecordHeaders();
        byte[] value = Topics.IMPORT_AGGREGATE_COMMANDS.valueSerializer().serialize("c", headers, command);
        producer.send(new ProducerRecord<>(Topics.IMPORT_AGGREGATE_COMMANDS.name(), null,
                importId.getBytes(StandardCharsets.UTF_8), value, headers)).get(10, TimeUnit.SECONDS);
        return importId;
    }
}
