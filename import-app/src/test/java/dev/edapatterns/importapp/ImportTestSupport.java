package dev.edapatterns.importapp;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.restassured.path.json.JsonPath;

/** Shared helpers of the import-app tests. */
public final class ImportTestSupport {

    private ImportTestSupport() {
    }

    public static String channelId() {
        return "ch-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Waits until the import reached a final state and returns GET /imports/{id}. */
    public static JsonPath awaitFinished(String importId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            var r = given().get("/imports/" + importId);
            return r.statusCode() == 200 && List.of("COMPLETED", "FAILED").contains(r.jsonPath().getString("state"));
        });
        return given().get("/imports/" + importId).jsonPath();
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
