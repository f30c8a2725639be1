package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * One CSV import of the aggregation fault tests and everything that must be true once it is over. Emails are unique
 * to the import (its tag), every good row has a distinctive name, every {@code badEvery}-th row has no email. Uploaded
 * by {@link Http#IMPORTER} with its tag as Idempotency-Key, so its import id is known before any answer (import-app
 * derives it from the user and the key); its channel is the one import-app chose, known once the upload is answered.
 */
final class AggregatedImport {

    final String tag;
    /** Chosen by import-app: null until the upload was answered. */
    String channelId;
    final int rows;
    final int jobRows;
    /** email -> expected name of its contact on {@code import.contacts}. */
    final Map<String, String> expected = new LinkedHashMap<>();
    final long rejected;
    final String csv;
    final String importId;
    /** Set when a test re-sent this import's commands on purpose: then they are on the commands topic twice. */
    boolean commandsResent;

    AggregatedImport(String tag, int rows, int jobRows, int badEvery) {
        this.tag = tag + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.importId = UUID.nameUUIDFromBytes((Http.IMPORTER + "\n" + this.tag).getBytes(StandardCharsets.UTF_8)).toString();
        this.rows = rows;
        this.jobRows = jobRows;
        StringBuilder out = new StringBuilder(rows * 48).append("email,name\n");
        long bad = 0;
        for (int i = 1; i <= rows; i++) {
            if (i % badEvery == 0) {
                out.append(",No Email ").append(i).append('\n');
                bad++;
            } else {
                String email = "row" + i + "." + this.tag + "@agg.example.com";
                String name = "Name " + i + " of " + this.tag;
                expected.put(email, name);
                out.append(email).append(",\"").append(name).append("\"\n");
            }
        }
        this.rejected = bad;
        this.csv = out.toString();
    }

    long imported() {
        return expected.size();
    }

    int jobsTotal() {
        return (expected.size() + jobRows - 1) / jobRows;
    }

    /** {@code POST /imports} as text/csv to one instance. */
    AggregatedImport upload(String baseUrl) {
        Http.Response r = Http.as(Http.IMPORTER).post(baseUrl + "/imports", "text/csv", csv, "Idempotency-Key", tag);
        assertEquals(202, r.status(), "upload of " + tag + ": " + r.body());
        assertEquals(importId, r.json().get("importId").asText(), "import id of " + tag);
        channelId = r.json().get("channelId").asText();
        ImporterCluster.log("import %s (%d rows, %d jobs) uploaded as %s to %s", tag, rows, jobsTotal(), importId, baseUrl);
        return this;
    }

    /** {@code GET /imports/{id}} on a live instance, or null while no instance shows it (404, restarts). */
    JsonNode status(Supplier<String> anyUrl) {
        try {
            Http.Response r = Http.as(Http.IMPORTER).get(anyUrl.get() + "/imports/" + importId);
            return r.status() == 200 ? r.json() : null;
        } catch (RuntimeException e) { // the instance just got killed
            return null;
        }
    }

    /**
     * The import as {@code GET /imports/{id}} shows it, without its {@code channelToken}: the token is issued fresh
     * to each asker (so a reloaded page can reconnect), so it is a credential, not part of the import's state.
     */
    static JsonNode withoutChannelToken(JsonNode status) {
        assertTrue(status.hasNonNull("channelToken") && !status.get("channelToken").asText().isBlank(),
                "a channel token for the asker: " + status);
        ObjectNode view = status.deepCopy();
        view.remove("channelToken");
        return view;
    }

    int jobsDone(Supplier<String> anyUrl) {
        JsonNode s = status(anyUrl);
        return s == null ? 0 : s.get("jobsDone").asInt();
    }

    boolean completed(Supplier<String> anyUrl) {
        JsonNode s = status(anyUrl);
        return s != null && "COMPLETED".equals(s.get("state").asText());
    }

    JsonNode awaitCompleted(Supplier<String> anyUrl, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> completed(anyUrl));
        return status(anyUrl);
    }

    /** What the committed topics say about a set of imports, read once. */
    record Committed(Map<String, Contact> contacts, List<ConsumerRecord<String, ProgressEvent>> progress,
            List<ConsumerRecord<String, ImportCommand>> commands) {

        static Committed read() {
            return read(TestKafka.clients());
        }

        static Committed read(KafkaClients kafka) {
            Map<String, Contact> last = new HashMap<>();
            for (ConsumerRecord<String, Contact> r : TopicRecords.readCommitted(kafka, Topics.IMPORT_CONTACTS)) {
                last.put(r.key(), r.value()); // partition order = write order per key; null value = tombstone
            }
            return new Committed(last, TopicRecords.readCommitted(kafka, Topics.PROGRESS),
                    TopicRecords.readCommitted(kafka, Topics.IMPORT_AGGREGATE_COMMANDS));
        }
    }

    /**
     * Everything that must hold for a finished import: the aggregate's exact counts, each contact's final value,
     * exactly one COMPLETED and one PROCESSED per job on {@code progress} (on this import's channel only), and one
     * committed JOB_FINISHED command and CONSUMED event per job (the importers' consume-produce is exactly once).
     */
    void verify(JsonNode status, Committed topics) {
        assertEquals("COMPLETED", status.get("state").asText(), tag);
        assertEquals(jobsTotal(), status.get("jobsTotal").asInt(), tag + " jobsTotal");
        assertEquals(jobsTotal(), status.get("jobsDone").asInt(), tag + " jobsDone");
        assertEquals(imported(), status.get("rowsImported").asLong(), tag + " rowsImported");
        assertEquals(rejected, status.get("rowsRejected").asLong(), tag + " rowsRejected");

        // each contact's final value, and no contact of this import beyond the CSV's
        List<String> wrong = new ArrayList<>();
        expected.forEach((email, name) -> {
            Contact c = topics.contacts().get(email);
            if (c == null || !name.equals(c.name()) || !importId.equals(c.importId())) {
                wrong.add(email + " -> " + c);
            }
        });
        assertTrue(wrong.isEmpty(), tag + ": " + wrong.size() + " contacts missing or wrong, e.g. "
                + wrong.subList(0, Math.min(5, wrong.size())));
        long ofThisImport = topics.contacts().values().stream().filter(c -> c != null && importId.equals(c.importId())).count();
        assertEquals(imported(), ofThisImport, tag + " contacts carrying this import's id");

        List<ProgressEvent> events = topics.progress().stream().filter(r -> r.value() != null && importId.equals(r.value().importId()))
                .peek(r -> assertEquals(channelId, r.key(), tag + ": progress of this import on another channel"))
                .map(ConsumerRecord::value).toList();
        List<ProgressEvent> completed = events.stream().filter(e -> e.type() == ProgressType.COMPLETED).toList();
        assertEquals(1, completed.size(), tag + ": exactly one COMPLETED, got " + completed);
        assertEquals(imported(), completed.get(0).rowsImported(), tag + " COMPLETED rowsImported");
        assertEquals(jobsTotal(), completed.get(0).jobsDone(), tag + " COMPLETED jobsDone");
        assertEquals(1, events.stream().filter(e -> e.type() == ProgressType.ACCEPTED).count(), tag + " ACCEPTED once");
        List<Integer> processed = events.stream().filter(e -> e.type() == ProgressType.PROCESSED)
                .map(ProgressEvent::jobsDone).sorted().toList();
        assertEquals(IntStream.rangeClosed(1, jobsTotal()).boxed().toList(), processed,
                tag + ": one PROCESSED per job (jobsDone 1..n, none twice)");
        assertEquals(jobsTotal(), events.stream().filter(e -> e.type() == ProgressType.CONSUMED).count(),
                tag + ": one CONSUMED per job");

        Map<String, Long> finished = topics.commands().stream()
                .filter(r -> r.value() != null && importId.equals(r.value().importId())
                        && r.value().type() == ImportCommand.Type.JOB_FINISHED)
                .collect(Collectors.groupingBy(r -> r.value().commandId(), Collectors.counting()));
        assertEquals(jobsTotal(), finished.size(), tag + ": a JOB_FINISHED command per job");
        assertTrue(commandsResent || finished.values().stream().allMatch(n -> n == 1),
                tag + ": a job's command committed twice: " + finished.entrySet().stream().filter(e -> e.getValue() > 1).toList());
    }

    /** Events of this import on {@code progress}, in order. */
    List<ProgressEvent> progressEvents(Committed topics) {
        return topics.progress().stream().map(ConsumerRecord::value)
                .filter(e -> e != null && importId.equals(e.importId())).toList();
    }

    @Override
    public String toString() {
        return tag + "(" + importId + ")";
    }
}
