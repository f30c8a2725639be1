package dev.edapatterns.importapp;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the import-app tests. */
public final class ImportTestSupport {

    private ImportTestSupport() {
    }

    /** A request as {@code user} with HTTP Basic (dev/test passwords: the user name's local part). */
    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user.split("@")[0]);
    }

    /** A request as the importer who starts the tests' imports. */
    public static RequestSpecification asImporter() {
        return as("importer");
    }

    /** A request as the crm user who reads and deletes contacts. */
    public static RequestSpecification asCrm() {
        return as("crm");
    }

    /** The value of an {@code Authorization} header for {@code user} (for clients other than RestAssured). */
    public static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user.split("@")[0]).getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until the import (started by importer) reached a final state and returns GET /imports/{id}. */
    public static JsonPath awaitFinished(String importId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var r = asImporter().get("/imports/" + importId);
            return r.statusCode() == 200 && List.of("COMPLETED", "FAILED").contains(r.jsonPath().getString("state"));
        });
        return asImporter().get("/imports/" + importId).jsonPath();
    }

    /** See {@link CommittedRecords#quietSnapshot}. */
    public static CommittedRecords quietSnapshot() {
        return CommittedRecords.quietSnapshot(Duration.ofSeconds(60));
    }

    /** Every committed progress event of a channel, in order. */
    public static List<ProgressEvent> progressOf(String channelId) {
        return read(Topics.PROGRESS).stream().filter(r -> channelId.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    /** The whole topic as a read_committed consumer sees it now, decoded. */
    public static <V> List<ConsumerRecord<String, V>> read(Topic<String, V> topic) {
        return TopicRecords.readCommitted(topic);
    }
}
