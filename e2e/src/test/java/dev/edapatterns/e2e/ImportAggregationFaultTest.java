package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.InFlight;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 6 at scale, under {@code kill -9}: three import-app processes in one importer group (distinct ports and
 * instance ids), CSV imports cut into hundreds of 20-row jobs. Importers and the aggregate's owner are killed at
 * random moments and restarted with the same id; every import still ends COMPLETED with exact counts, every contact
 * has its final value, COMPLETED is announced exactly once and two imports running at once never mix. An instance
 * killed in the middle of an upload's transaction leaves nothing behind and blocks no other import. A redelivered
 * command changes nothing. (The longer variant with ten kills is {@link ImportAggregationSoakTest}.)
 */
@ResourceLock(BrokerGroups.IMPORT_APP)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportAggregationFaultTest {

    static final int JOB_ROWS = 20;
    static final Duration COMPLETION = Duration.ofMinutes(3);

    private ImporterCluster cluster;

    @BeforeAll
    void startThreeImporters() {
        cluster = new ImporterCluster("agg", 3, Map.of("import.jobs.max-rows", String.valueOf(JOB_ROWS))).start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * Part 1, N processes on one host: with their own port and instance id they split both groups' partitions and
     * each has its own transactional ids (the importer's, the aggregate writer's, the upload producers'), all
     * registered at start-up, so a restart fences whatever its killed predecessor left open.
     */
    @Test
    void threeInstancesSplitTheWorkUnderDistinctIdentities() {
        cluster.awaitGroupsStable();
        var importer = cluster.describe(ImporterCluster.IMPORTER_GROUP);
        var aggregate = cluster.describe(ImporterCluster.AGGREGATE_GROUP);
        assertEquals(cluster.size() * cluster.importerWorkers(), importer.members().size(), "importer members: " + importer.members());
        assertEquals(cluster.size(), aggregate.members().size(), "aggregate members: " + aggregate.members());
        for (var group : List.of(importer, aggregate)) {
            List<org.apache.kafka.common.TopicPartition> assigned = group.members().stream()
                    .flatMap(m -> m.assignment().topicPartitions().stream()).toList();
            assertEquals(Topics.DEFAULT_PARTITIONS, assigned.size(), group.groupId() + ": every partition once: " + assigned);
            assertEquals(Topics.DEFAULT_PARTITIONS, new java.util.HashSet<>(assigned).size(), group.groupId() + ": no partition twice");
        }
        var ids = cluster.transactionalIds();
        for (int i = 0; i < cluster.size(); i++) {
            String instance = cluster.instanceId(i);
            assertTrue(ids.containsAll(cluster.importerClientIds(i)), "importer workers' transactional.ids of " + instance + " in " + ids);
            assertTrue(ids.contains(cluster.writerInstanceId(i)), "aggregate writer transactional.id of " + instance + " in " + ids);
            for (int slot = 0; slot < 4; slot++) { // import.uploads.max-concurrent: initialized at start-up
                assertTrue(ids.contains("import-app-jobs-" + instance + "-" + slot), "upload producer " + slot + " of " + instance);
            }
        }
    }

    @Test
    void twoConcurrentImportsSurviveImporterKills() {
        AggregatedImport a = new AggregatedImport("two-a", 20_000, JOB_ROWS, 97);
        AggregatedImport b = new AggregatedImport("two-b", 20_000, JOB_ROWS, 89);
        CompletableFuture.allOf(CompletableFuture.runAsync(() -> a.upload(cluster.app(0).url())),
                CompletableFuture.runAsync(() -> b.upload(cluster.app(1).url()))).join();
        List<AggregatedImport> both = List.of(a, b);
        // big enough that the importers (fast: thousands of rows a second each) are still at work when the kills land
        assertTrue(a.jobsTotal() >= 800 && b.jobsTotal() >= 800, "hundreds of jobs each");

        RandomKills kills = new RandomKills(cluster);
        kills.kill(both, 0.10, 0.35, "importer", RandomKills.notOwningAggregatesOf(both), 2000);
        kills.kill(both, 0.40, 0.65, "any", RandomKills.anyInstance(), 2000);
        kills.awaitRestarted();

        JsonNode sa = a.awaitCompleted(cluster::anyUrl, COMPLETION);
        JsonNode sb = b.awaitCompleted(cluster::anyUrl, COMPLETION);
        cluster.awaitCaughtUp(); // a late duplicate would have to come from work still pending
        AggregatedImport.Committed topics = AggregatedImport.Committed.read();
        a.verify(sa, topics);
        b.verify(sb, topics);
        assertNoRejectedCommands();
        ImporterCluster.log("two imports verified; kills: %s", kills.kills());
        assertTrue(kills.kills().stream().allMatch(RandomKills.Kill::midImport), "the kills landed mid-import: " + kills.kills());
    }

    @Test
    void aggregateOwnerKilledMidImport() {
        AggregatedImport c = new AggregatedImport("owner", 20_000, JOB_ROWS, 101).upload(cluster.app(2).url());
        RandomKills kills = new RandomKills(cluster);
        RandomKills.Kill kill = kills.kill(List.of(c), 0.15, 0.55, "aggregate owner", RandomKills.aggregateOwnerOf(c), 3000);
        kills.awaitRestarted();

        JsonNode status = c.awaitCompleted(cluster::anyUrl, COMPLETION);
        cluster.awaitCaughtUp();
        c.verify(status, AggregatedImport.Committed.read());
        assertNoRejectedCommands();
        ImporterCluster.log("owner kill verified: %s", kill);
        assertTrue(kill.midImport(), "the owner was killed mid-import: " + kill);
    }

    /**
     * {@code kill -9} of the instance while it writes an upload's one transaction (ACCEPTED + thousands of jobs):
     * nothing of that upload ever becomes visible, and its restart fences the open transaction at once, so an import
     * uploaded right after completes without waiting for the broker's transaction timeout (60 s; until then the dead
     * transaction blocks every {@code import.jobs} partition it touched for every read_committed importer).
     */
    @Test
    void instanceKilledMidUploadBlocksNoOtherImport() {
        int victim = 1;
        AggregatedImport lost = new AggregatedImport("killed-upload", 150_000, JOB_ROWS, Integer.MAX_VALUE);
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> lost.upload(cluster.app(victim).url()));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> upload.isDone() || cluster.uploadTransactionPartitions(victim) >= 2 + Topics.IMPORT_JOBS.partitions());
        // open, and already on progress, the commands and every import.jobs partition
        assertTrue(!upload.isDone(), "the upload finished before its transaction was seen open on all partitions: make the CSV bigger");
        cluster.kill(victim);
        upload.handle((ok, e) -> null).join(); // the connection breaks: the client never got a 202
        cluster.restart(victim);
        // the restart itself (no request needed) fences the dead upload producer: its transaction is aborted and the
        // abort markers are written, so no partition's last stable offset is held back any more
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.uploadTransactionPartitions(victim) == 0);
        // the victim's other transactional producers (aggregate writer, importer workers) are fenced when their
        // consumers join again, which waits for a rebalance; their transactions were empty or only its own, and a
        // transaction open there would stall the next import as well, so none may be left
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> openTransactions().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("transactions still open 30 s after the restart: " + InFlight.describe(), e);
        }
        cluster.awaitGroupsStable();

        long t0 = System.nanoTime();
        AggregatedImport next = new AggregatedImport("after-killed-upload", 1000, JOB_ROWS, 53).upload(cluster.app(0).url());
        // asked only on another instance: any HTTP call to the imports API of the restarted one would create its
        // upload producers (and so fence the dead transaction) as a side effect
        JsonNode status;
        try {
            status = next.awaitCompleted(() -> cluster.app(0).url(), Duration.ofSeconds(40));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the import after the killed upload did not complete in 40 s; its status: "
                    + next.status(() -> cluster.app(0).url()) + "; in flight: " + InFlight.describe(), e);
        }
        ImporterCluster.log("import after the killed upload completed in %d ms", (System.nanoTime() - t0) / 1_000_000);
        cluster.awaitCaughtUp();
        AggregatedImport.Committed topics = AggregatedImport.Committed.read();
        next.verify(status, topics);
        assertEquals(List.of(), topics.progress().stream()
                .filter(r -> r.value() != null && lost.importId.equals(r.value().importId())).toList(),
                "no progress event of the killed upload");
        assertTrue(lost.expected.keySet().stream().noneMatch(topics.contacts()::containsKey), "no contact of the killed upload");
    }

    /** The partitions whose last stable offset an open transaction holds back. */
    private static List<String> openTransactions() {
        return java.util.Arrays.stream(InFlight.describe().split(", ")).filter(s -> s.startsWith("open transaction")).toList();
    }

    @Test
    void redeliveredCommandsChangeNothing() throws Exception {
        AggregatedImport e = new AggregatedImport("redeliver", 1000, JOB_ROWS, 53).upload(cluster.app(0).url());
        JsonNode status = e.awaitCompleted(cluster::anyUrl, COMPLETION);
        cluster.awaitCaughtUp();
        AggregatedImport.Committed before = AggregatedImport.Committed.read();
        e.verify(status, before);
        StoredState<ImportAggregate> storedBefore = stored(e.importId);
        int owner = cluster.aggregateOwner(e.importId);
        JsonNode statsBefore = cluster.writerStats(owner);

        // the very commands the aggregate applied, sent again: one job's JOB_FINISHED and the import's ACCEPTED
        List<ImportCommand> again = before.commands().stream().map(ConsumerRecord::value)
                .filter(cmd -> cmd != null && e.importId.equals(cmd.importId()))
                .filter(cmd -> cmd.commandId().equals(e.importId + ":7") || cmd.commandId().equals(e.importId + ":accepted"))
                .toList();
        assertEquals(2, again.size(), "the job 7 and ACCEPTED commands: " + again);
        long lastOffset = -1;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ImportCommand cmd : again) {
                lastOffset = send(producer, e.importId, cmd).offset();
            }
        }
        long sent = lastOffset;
        int partition = ImporterCluster.aggregatePartition(e.importId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.aggregateCommittedOffset(partition) > sent);
        cluster.awaitCaughtUp();

        AggregatedImport.Committed after = AggregatedImport.Committed.read();
        assertEquals(e.progressEvents(before), e.progressEvents(after), "no progress event for a redelivered command");
        StoredState<ImportAggregate> storedAfter = stored(e.importId);
        assertEquals(storedBefore, storedAfter, "the stored aggregate (state, version, applied ids) is unchanged");
        assertEquals(AggregatedImport.withoutChannelToken(status),
                AggregatedImport.withoutChannelToken(e.status(cluster::anyUrl)), "GET /imports/{id} unchanged");
        JsonNode statsAfter = cluster.writerStats(owner);
        assertEquals(statsBefore.get("duplicates").asLong() + 2, statsAfter.get("duplicates").asLong(),
                "the owner skipped both as duplicates: " + statsAfter);
        assertEquals(statsBefore.get("applied").asLong(), statsAfter.get("applied").asLong(), "and applied nothing");
        assertNoRejectedCommands();
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String key, ImportCommand cmd) throws Exception {
        var topic = Topics.IMPORT_AGGREGATE_COMMANDS;
        RecordHeaders headers = new RecordHeaders();
        byte[] k = topic.keySerializer().serialize(topic.name(), headers, key);
        byte[] v = topic.valueSerializer().serialize(topic.name(), headers, cmd);
        return producer.send(new ProducerRecord<>(topic.name(), null, k, v, headers)).get();
    }

    /** The last committed state of an import on the store topic. */
    static StoredState<ImportAggregate> stored(String importId) {
        StoredState<ImportAggregate> last = null;
        for (ConsumerRecord<String, StoredState<ImportAggregate>> r : TopicRecords.readCommitted(StoredState.topic(Topics.IMPORT_AGGREGATE_STORE))) {
            if (importId.equals(r.key())) {
                last = r.value();
            }
        }
        return last;
    }

    /** A command the aggregate refused (e.g. a job result before its import) would be a lost count. */
    void assertNoRejectedCommands() {
        for (int i = 0; i < cluster.size(); i++) {
            JsonNode stats = cluster.writerStats(i);
            assertEquals(0, stats.get("rejected").asLong(), cluster.instanceId(i) + " rejected commands: " + stats);
            assertEquals(0, stats.get("undecodable").asLong(), cluster.instanceId(i) + " undecodable commands: " + stats);
        }
    }
}
