package dev.edapatterns.billing.dlq;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.user;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.dlq.RecordedRedrives;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.common.mapper.TypeRef;

/**
 * A redrive is recorded in Kafka with the copy it writes: every admin session lists who redrove a letter and when,
 * a repeated redrive answers 409 with the earlier one and writes nothing unless forced, and an instance that starts
 * afterwards (a new store over the redrives topic) knows it too.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class RecordedRedrivesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RENEWALS = Topics.BILLING_RENEWALS.name();
    private static final String REDRIVES = Topics.BILLING_RENEWALS_DLQ_REDRIVES.name();

    @Inject
    DeadLetterQueue dlq;

    @Test
    void aRedriveIsSeenByEveryAdminAndRepeatedOnlyWhenForced() throws Exception {
        String key = user("redrive-once");
        PoisonRecords.poison(key);
        Map<String, Object> letter = await().atMost(WAIT).until(() -> firstLetter(key), l -> l != null);
        assertEquals(false, letter.get("redriven"));
        int partition = ((Number) letter.get("partition")).intValue();
        long offset = ((Number) letter.get("offset")).longValue();
        String path = "/admin/dlq/" + partition + "/" + offset + "/redrive";

        // the copy and its redrive record: one of each, committed together
        CommittedRecords beforeFirst = CommittedRecords.snapshot();
        Map<String, Object> first = asAdmin().post(path).then().statusCode(200)
                .body("redriven", equalTo(partition + ":" + offset)).body("topic", equalTo(RENEWALS))
                .body("redrivenBy", equalTo("admin")).body("redrives", equalTo(1))
                .extract().as(new TypeRef<Map<String, Object>>() {
                });
        List<ConsumerRecord<byte[], byte[]>> copies = records(beforeFirst, RENEWALS, key);
        assertEquals(1, copies.size());
        assertEquals(((Number) first.get("offset")).longValue(), copies.get(0).offset());
        assertEquals(((Number) first.get("partition")).intValue(), copies.get(0).partition());
        assertEquals(1, records(beforeFirst, REDRIVES, Redrive.key(dlq.topic(), partition, offset)).size());

        // another admin session (a form login of its own) lists who redrove it, when, and where the copy went
        String session = AccessMatrix.formLogin("admin", "admin");
        assertNotNull(session, "form login");
        Map<String, Object> listed = RestAssured.given().cookie("quarkus-credential", session).get("/admin/dlq?limit=500")
                .then().statusCode(200).extract().as(new TypeRef<List<Map<String, Object>>>() {
                }).stream().filter(l -> l.get("partition").equals(partition) && ((Number) l.get("offset")).longValue() == offset)
                .findFirst().orElseThrow();
        assertEquals(true, listed.get("redriven"));
        @SuppressWarnings("unchecked")
        Map<String, Object> redrive = (Map<String, Object>) listed.get("redrive");
        assertEquals("admin", redrive.get("redrivenBy"));
        assertEquals(first.get("redrivenAt"), redrive.get("redrivenAt"));
        assertEquals(first.get("offset"), redrive.get("toOffset"));

        // again, one by one and in bulk, without force: 409 naming the earlier redrive, nothing written
        CommittedRecords beforeRepeat = CommittedRecords.snapshot();
        asAdmin().post(path).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(DeadLettersResource.ALREADY_REDRIVEN))
                .body("redrive.redrivenBy", equalTo("admin")).body("redrive.redrivenAt", equalTo(first.get("redrivenAt")))
                .body("redrive.offset", equalTo(first.get("offset")));
        String after = cursorBefore(partition, offset);
        asAdmin().post("/admin/dlq/redrive?limit=1" + (after == null ? "" : "&after=" + after)).then().statusCode(200)
                .body("count", equalTo(0)).body("alreadyRedriven", hasItem(partition + ":" + offset));
        beforeRepeat.newRecordsWhenSettled();
        assertEquals(List.of(), records(beforeRepeat, RENEWALS, key));
        assertEquals(List.of(), records(beforeRepeat, REDRIVES, Redrive.key(dlq.topic(), partition, offset)));

        // forced: a second copy, recorded as the second redrive
        CommittedRecords beforeForce = CommittedRecords.snapshot();
        asAdmin().post(path + "?force=true").then().statusCode(200).body("redrives", equalTo(2))
                .body("redrivenBy", equalTo("admin"));
        assertEquals(1, records(beforeForce, RENEWALS, key).size());

        // what a restarted instance sees: a new store replaying the redrives topic, a new redriver on top of it
        try (CompactedStore<String, Redrive> replayed = CompactedStore.builder(Topics.BILLING_RENEWALS_DLQ_REDRIVES)
                .start(TestKafka.clients().consumer(Map.of()));
                DeadLetterQueue queue = new DeadLetterQueue(TestKafka.clients(), dlq.topic(), RENEWALS,
                        RenewalsDeadLetters.ENCODING);
                RecordedRedrives restarted = new RecordedRedrives(queue, Topics.BILLING_RENEWALS_DLQ_REDRIVES, replayed,
                        TestKafka.clients(), "billing-app-test-restarted-redrives")) {
            assertEquals(true, replayed.awaitLoaded(WAIT));
            RecordedRedrives.Result again = restarted.redrive(partition, offset, "admin", false);
            assertEquals(RecordedRedrives.Status.ALREADY_REDRIVEN, again.status());
            assertEquals("admin", again.redrive().redrivenBy());
            assertEquals(2, again.redrive().redrives());
        }
    }

    /** The cursor just before a position (the bulk redrive starts after it). */
    private static String cursorBefore(int partition, long offset) {
        return offset > 0 ? partition + ":" + (offset - 1) : partition > 0 ? (partition - 1) + ":999999999" : null;
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(CommittedRecords since, String topic, String key) {
        return since.newRecordList().stream().filter(r -> r.topic().equals(topic) && r.key() != null
                && key.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
    }

    /** The original letter of this key: redriven copies of a poison record come back as later letters. */
    private static Map<String, Object> firstLetter(String key) {
        return asAdmin().get("/admin/dlq?limit=500").then().statusCode(200)
                .extract().as(new TypeRef<List<Map<String, Object>>>() {
                }).stream().filter(l -> key.equals(l.get("key"))).findFirst().orElse(null);
    }
}
