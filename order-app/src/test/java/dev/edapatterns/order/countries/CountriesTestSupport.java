package dev.edapatterns.order.countries;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the countries tests. */
final class CountriesTestSupport {

    static final String TOPIC = Topics.REFERENCE_COUNTRIES.name();

    private CountriesTestSupport() {
    }

    static RequestSpecification anonymous() {
        return given();
    }

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "admin");
    }

    static RequestSpecification clerk() {
        return given().auth().preemptive().basic("clerk", "clerk");
    }

    /** A country body as the API takes it; null arguments leave the field out. */
    static Map<String, Object> body(String name, String currency, String... zones) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        if (currency != null) {
            body.put("currency", currency);
        }
        if (zones != null) {
            body.put("timeZones", Arrays.asList(zones));
        }
        return body;
    }

    static ValidatableResponse put(RequestSpecification who, String code, Object body) {
        return who.contentType("application/json").body(body).put("/countries/" + code).then();
    }

    static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status));
    }

    /** The app answers 503 until its store replayed the topic; tests start once it has. */
    static void awaitStoreLoaded() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/countries").statusCode() == 200);
    }

    static void deleteIfPresent(String code) {
        admin().delete("/countries/" + code).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(204), equalTo(404)));
    }

    /** See {@link CommittedRecords#quietSnapshot}. */
    static CommittedRecords quietSnapshot() {
        return CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
    }

    /** Not one committed record on any topic since the snapshot, once whatever the requests started has finished. */
    static void assertNothingCommitted(CommittedRecords snapshot) {
        assertEquals(Map.of(), snapshot.newRecordsWhenSettled());
    }

    /** Every record of the topic as stored: key as string, value as raw bytes (null for a tombstone). */
    static List<ConsumerRecord<String, byte[]>> rawRecords() {
        return TopicRecords.raw(TOPIC, "read_committed");
    }

    /** The last record of a key on the topic (what compaction keeps). */
    static ConsumerRecord<String, byte[]> lastRecordOf(String code) {
        List<ConsumerRecord<String, byte[]>> records = rawRecords().stream().filter(r -> code.equals(r.key())).toList();
        if (records.isEmpty()) {
            throw new AssertionError("no record with key " + code + " on " + TOPIC);
        }
        return records.get(records.size() - 1);
    }
}
