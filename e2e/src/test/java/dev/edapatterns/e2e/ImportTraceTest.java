package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.deploy.AppSecrets;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * One trace across the real processes: the test is the client that starts it ({@code POST /imports} with its own
 * W3C {@code traceparent}), import-app and notify-app run from their packaged jars. Spans are not exported (OTLP is a
 * build-time switch, off), so what is checked is what crosses the processes: every record the import committed on
 * the topics between the two apps names the client's trace, each hop under a span of its own, and notify-app pushes
 * the import's progress to a WebSocket client. The spans' parent links are checked in process by import-app
 * {@code TracingTest} and notify-app {@code ProgressTracingTest}.
 */
@Isolated("its quiet snapshot and every record since cover every topic of the shared broker")
class ImportTraceTest {

    private static final int ROWS = 10;
    private static final int JOB_ROWS = 4;
    private static final int JOBS = 3;

    @Test
    void oneTraceRunsFromThePostThroughEveryRecordToTheWebSocketPush() {
        String traceId = randomHex(16);
        String clientSpanId = randomHex(8);
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("t").append(i).append('.').append(traceId).append("@trace.example.com,T ").append(i).append('\n');
        }
        // one import-app through the cluster harness: it waits until the importer and aggregate groups hold only this
        // instance (an earlier test class's static members may still own partitions until their session times out)
        try (RunningApp notifyApp = RunningApp.start("notify-app", KafkaBroker.freePort(), Map.of(
                     "kafka.bootstrap.servers", TestKafka.bootstrapServers(), "eventkit.instance-id", "e2e-trace"));
             ImporterCluster importApp = new ImporterCluster("trace", 1, Map.of("import.jobs.max-rows", String.valueOf(JOB_ROWS))).start()) {
            CommittedRecords before = CommittedRecords.quietSnapshot(Duration.ofSeconds(30));
            Http.Response accepted = Http.as(Http.IMPORTER).post(importApp.anyUrl() + "/imports", "text/csv",
                    csv.toString(), "traceparent", "00-" + traceId + "-" + clientSpanId + "-01");
            assertEquals(202, accepted.status(), accepted.body());
            String importId = accepted.json().get("importId").asText();
            // the channel import-app chose, opened with the token it issued to the importer: from its first event
            String channelId = accepted.json().get("channelId").asText();
            ProgressClient socket = new ProgressClient(notifyApp, channelId, accepted.json().get("channelToken").asText());
            try (socket) {
                await().atMost(Duration.ofSeconds(60)).until(() -> socket.events.stream()
                        .anyMatch(e -> e.type() == ProgressType.COMPLETED));
            }

            // everything committed since the quiet snapshot is the import's, on the topics of the import flow
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new TreeMap<>(before.newRecordList().stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::topic)));
            Map<String, Integer> counts = new TreeMap<>();
            byTopic.forEach((topic, records) -> counts.put(topic, records.size()));
            // the aggregate writes one state per key per batch of commands: 1 to 1 + JOBS states, by timing
            int states = counts.getOrDefault(Topics.IMPORT_AGGREGATE_STORE.name(), 0);
            assertTrue(states >= 1 && states <= 1 + JOBS, "aggregate states written: " + counts);
            assertEquals(new TreeMap<>(Map.of(Topics.IMPORT_JOBS.name(), JOBS, Topics.IMPORT_CONTACTS.name(), ROWS,
                    Topics.IMPORT_AGGREGATE_COMMANDS.name(), 1 + JOBS, // ACCEPTED + a JOB_FINISHED per job
                    Topics.IMPORT_AGGREGATE_STORE.name(), states,
                    Topics.PROGRESS.name(), 2 + 2 * JOBS)), // ACCEPTED, CONSUMED and PROCESSED per job, COMPLETED
                    counts, "records committed by the import");

            // one trace: each record's traceparent names the client's trace id, sampled
            byTopic.values().stream().flatMap(List::stream).forEach(r -> {
                String[] parent = traceparent(r);
                assertEquals(traceId, parent[1], "trace id on " + describe(r));
                assertEquals("01", parent[3], "sampled flag on " + describe(r));
            });

            // linked, not copied: each hop wrote under a span of its own, none under the client's
            Set<String> publish = spans(byTopic.get(Topics.IMPORT_JOBS.name()));
            Set<String> importer = spans(byTopic.get(Topics.IMPORT_CONTACTS.name()));
            // the aggregate's hop: its states and the progress events it wrote with them (a batch's state carries the
            // span of one of the batch's commands)
            Set<String> aggregate = spans(byTopic.get(Topics.IMPORT_AGGREGATE_STORE.name()));
            aggregate.addAll(spans(of(byTopic, Topics.PROGRESS,
                    e -> e.type() == ProgressType.PROCESSED || e.type() == ProgressType.COMPLETED)));
            assertEquals(1, publish.size(), "one span publishes the upload's transaction (every job): " + publish);
            importer.addAll(spans(of(byTopic, Topics.IMPORT_AGGREGATE_COMMANDS, c -> c.type() == ImportCommand.Type.JOB_FINISHED)));
            importer.addAll(spans(of(byTopic, Topics.PROGRESS, e -> e.type() == ProgressType.CONSUMED)));
            for (Set<String> hop : List.of(publish, importer, aggregate)) {
                assertFalse(hop.contains(clientSpanId), "a hop wrote under the client's span: " + hop);
            }
            assertDisjoint("publish", publish, "importer", importer);
            assertDisjoint("publish", publish, "aggregate", aggregate);
            assertDisjoint("importer", importer, "aggregate", aggregate);
            // each hop's side records carry its span: ACCEPTED with the jobs, PROCESSED/COMPLETED with the states
            assertEquals(publish, spans(of(byTopic, Topics.IMPORT_AGGREGATE_COMMANDS, c -> c.type() == ImportCommand.Type.ACCEPTED)));
            assertEquals(publish, spans(of(byTopic, Topics.PROGRESS, e -> e.type() == ProgressType.ACCEPTED)));
            assertTrue(aggregate.size() >= states, "an apply span per state at least: " + aggregate);

            // the end of the trace: notify-app pushed exactly the committed progress records, in order (seq = offset)
            List<String> committed = byTopic.get(Topics.PROGRESS.name()).stream()
                    .map(r -> r.offset() + " " + decode(Topics.PROGRESS, r).type()).toList();
            List<String> pushed = socket.events.stream().map(e -> e.seq() + " " + e.type()).toList();
            assertEquals(committed, pushed, "events pushed on " + channelId);
            ProgressEvent completed = socket.events.get(socket.events.size() - 1);
            assertEquals(importId, completed.importId());
            assertEquals(ROWS, completed.rowsImported());
            assertEquals(JOBS, completed.jobsDone());

            assertForgedExpiredAndForeignTokensAreRefused(notifyApp, channelId);
        }
    }

    /**
     * The channel's events are retained now, and each client asks for all of them (after=-1): a token signed with
     * another key, an expired one and one issued to another user are refused with 1008 before anything is sent.
     */
    private static void assertForgedExpiredAndForeignTokensAreRefused(RunningApp notifyApp, String channelId) {
        ChannelTokens keyOfTheApps = ChannelTokens.fromBase64(AppSecrets.forTests().get(AppSecrets.CHANNEL_TOKEN_KEY));
        ChannelTokens otherKey = ChannelTokens.fromBase64(Base64.getEncoder().encodeToString(
                "not-the-key-of-the-apps-32-bytes".getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> refused = Map.of(
                "forged", otherKey.issue(channelId, Http.IMPORTER, Duration.ofMinutes(10)),
                "expired", keyOfTheApps.issue(channelId, Http.IMPORTER, Duration.ofMinutes(-5)),
                "another user's", keyOfTheApps.issue(channelId, Http.ADMIN, Duration.ofMinutes(10)));
        refused.forEach((what, token) -> {
            try (ProgressClient client = new ProgressClient(notifyApp, channelId, token)) {
                assertEquals(1008, client.closed.orTimeout(10, TimeUnit.SECONDS).join(), what + " token");
                assertEquals(List.of(), client.events, what + " token: nothing sent");
            }
        });
    }

    /** {@code [version, trace-id, parent-id, flags]} of a record's W3C {@code traceparent} header. */
    private static String[] traceparent(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader("traceparent");
        assertNotNull(h, "no traceparent on " + describe(r));
        String[] parts = new String(h.value(), StandardCharsets.UTF_8).split("-");
        assertEquals(4, parts.length, "traceparent of " + describe(r));
        return parts;
    }

    /** The span ids that wrote these records. */
    private static Set<String> spans(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> traceparent(r)[2]).collect(Collectors.toCollection(HashSet::new));
    }

    private static <V> List<ConsumerRecord<byte[], byte[]>> of(Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic,
            Topic<String, V> topic, Predicate<V> which) {
        return byTopic.get(topic.name()).stream().filter(r -> which.test(decode(topic, r))).toList();
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> r) {
        return topic.valueDeserializer().deserialize(r.topic(), r.headers(), r.value());
    }

    private static void assertDisjoint(String a, Set<String> spansOfA, String b, Set<String> spansOfB) {
        Set<String> both = new HashSet<>(spansOfA);
        both.retainAll(spansOfB);
        assertTrue(both.isEmpty(), a + " and " + b + " wrote under the same span " + both);
    }

    private static String describe(ConsumerRecord<byte[], byte[]> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset() + " (key " + new String(r.key(), StandardCharsets.UTF_8) + ")";
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
