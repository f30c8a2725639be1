package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One trace from {@code POST /imports} through every record it causes: the jobs and the ACCEPTED event/command
 * (jobs service), the contacts, CONSUMED events and JOB_FINISHED commands (importer), the aggregate's states and its
 * PROCESSED/COMPLETED events. Each record's {@code traceparent} names the trace of the request, and its parent span
 * chains up, span by span, to the request's span.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class TracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void everyRecordOfAnImportContinuesTheTraceOfItsPost() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String clientSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("email,name,country\n");
        for (int i = 0; i < 7; i++) { // two jobs of up to 5 rows (test profile)
            csv.append("t").append(i).append('-').append(tag).append("@example.com,T").append(i).append(",FR\n");
        }

        var accepted = asImporter().header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
                .contentType("text/csv").body(csv.toString())
                .post("/imports").then().statusCode(202).extract();
        String importId = accepted.path("importId");
        String channel = accepted.path("channelId");
        assertEquals("COMPLETED", awaitFinished(importId).getString("state"));

        Map<String, List<ConsumerRecord<String, byte[]>>> chain = new HashMap<>();
        chain.put(Topics.IMPORT_JOBS.name(), read(Topics.IMPORT_JOBS.name(), k -> k.startsWith(importId + ":")));
        chain.put(Topics.IMPORT_AGGREGATE_COMMANDS.name(), read(Topics.IMPORT_AGGREGATE_COMMANDS.name(), importId::equals));
        chain.put(Topics.IMPORT_AGGREGATE_STORE.name(), read(Topics.IMPORT_AGGREGATE_STORE.name(), importId::equals));
        chain.put(Topics.PROGRESS.name(), read(Topics.PROGRESS.name(), channel::equals));
        chain.put(Topics.IMPORT_CONTACTS.name(), read(Topics.IMPORT_CONTACTS.name(), k -> k.endsWith("-" + tag + "@example.com")));
        assertEquals(2, chain.get(Topics.IMPORT_JOBS.name()).size());
        assertEquals(3, chain.get(Topics.IMPORT_AGGREGATE_COMMANDS.name()).size()); // ACCEPTED + 2 x JOB_FINISHED
        assertEquals(7, chain.get(Topics.IMPORT_CONTACTS.name()).size());
        assertTrue(chain.get(Topics.PROGRESS.name()).size() >= 6, "ACCEPTED, 2 x CONSUMED, 2 x PROCESSED, COMPLETED");
        assertFalse(chain.get(Topics.IMPORT_AGGREGATE_STORE.name()).isEmpty());

        // every record carries the request's trace id; remember the span that wrote each
        Set<String> writers = new HashSet<>();
        chain.forEach((topic, records) -> records.forEach(r -> {
            Header h = r.headers().lastHeader("traceparent");
            assertNotNull(h, "no traceparent on " + topic + " record " + r.key());
            String[] parts = new String(h.value(), StandardCharsets.UTF_8).split("-");
            assertEquals(4, parts.length, topic);
            assertEquals(traceId, parts[1], "trace id of " + topic + " record " + r.key());
            assertEquals("01", parts[3], "sampled");
            writers.add(parts[2]);
        }));

        // linked: each writing span's parents lead back, span by span, to the span of the request
        await().atMost(Duration.ofSeconds(10)).until(() -> byId().keySet().containsAll(writers));
        Map<String, SpanData> byId = byId();
        for (String writer : writers) {
            List<String> path = new ArrayList<>();
            SpanData span = byId.get(writer);
            while (span != null && !span.getParentSpanId().equals(clientSpanId)) {
                path.add(span.getName());
                span = byId.get(span.getParentSpanId());
            }
            assertNotNull(span, "span " + writer + " does not chain up to the request: " + path);
            assertEquals(SpanKind.SERVER, span.getKind(), "the root of the chain is the POST /imports span");
            assertTrue(span.getName().contains("/imports"), span.getName());
        }
        Set<String> names = new HashSet<>();
        byId.values().forEach(s -> names.add(s.getName()));
        assertTrue(names.contains("import publish"), names.toString());
        assertTrue(names.contains("import-aggregate apply"), names.toString());
    }

    private Map<String, SpanData> byId() {
        Map<String, SpanData> byId = new HashMap<>();
        spans.getFinishedSpanItems().forEach(s -> byId.put(s.getSpanId(), s));
        return byId;
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic, Predicate<String> key) {
        return TopicRecords.raw(topic, "read_committed").stream().filter(r -> r.key() != null && key.test(r.key())).toList();
    }
}
