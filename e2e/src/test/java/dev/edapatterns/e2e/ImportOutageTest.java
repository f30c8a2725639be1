package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.deploy.KafkaBrokerProcess;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 6 under infrastructure faults, everything an OS process: the broker in its own JVM (stopped and started
 * again on the same port and data dir) and two import-app instances. A broker restart in the middle of an import
 * and a SIGTERM to an importer in the middle of a job both end with the import COMPLETED and exact counts, every
 * job's output committed exactly once, and nobody restarted by hand except the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the SIGTERM last: its victim is not started again (CI time)
class ImportOutageTest {

    static final int JOB_ROWS = 20;

    private KafkaBrokerProcess broker;
    private KafkaClients kafka;
    private ImporterCluster cluster;

    @BeforeAll
    void start() throws IOException {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-outage-");
        broker = KafkaBrokerProcess.start(dataDir);
        kafka = KafkaClients.of(broker.bootstrapServers()).with(TestKafka.FAST_FAILOVER);
        cluster = new ImporterCluster("outage", 2, Map.of("import.jobs.max-rows", String.valueOf(JOB_ROWS)), kafka).start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * The broker is stopped (SIGTERM) once a fifth of the jobs are done and started again (~20 s without a broker
     * here, its own stop and start included): the instances ride it out (no restart, readiness UP again on its own)
     * and finish the import exactly once.
     */
    @Test
    @Order(1)
    void brokerRestartMidImport() {
        cluster.awaitGroupsStable();
        AggregatedImport imp = new AggregatedImport("broker-restart", 12_000, JOB_ROWS, 97).upload(cluster.app(0).url());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> imp.jobsDone(cluster::anyUrl) >= imp.jobsTotal() / 5);
        int doneAtStop = imp.jobsDone(cluster::anyUrl);
        long t0 = System.nanoTime();
        broker.stop();
        ImporterCluster.log("broker stopped at %d/%d jobs in %d ms", doneAtStop, imp.jobsTotal(), millisSince(t0));
        // the outage (plus the broker's own stop and start, seconds each): both instances stay up without a broker
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> cluster.live().size() == 2);
        broker.launch();
        ImporterCluster.log("broker back after %d ms", millisSince(t0));

        JsonNode status = imp.awaitCompleted(cluster::anyUrl, Duration.ofMinutes(2));
        ImporterCluster.log("import completed %d ms after the broker stopped", millisSince(t0));
        assertTrue(doneAtStop < imp.jobsTotal(), "the broker stopped mid-import: " + doneAtStop + "/" + imp.jobsTotal());
        for (int i = 0; i < cluster.size(); i++) {
            RunningApp app = cluster.app(i);
            await().atMost(Duration.ofSeconds(30)).until(app::ready);
        }
        cluster.awaitCaughtUp(); // a late duplicate would have to come from work still pending
        verifyExactlyOnce(imp, status);
        cluster.awaitGroupsStable(); // both instances still at work in both groups
    }

    /**
     * SIGTERM to an importer while its job transaction is open: the graceful shutdown ends that transaction (the
     * producer's close aborts what it cannot commit), so no open transaction of its {@code transactional.id} is
     * left, the other instance takes the partitions over and finishes the import without waiting for the broker's
     * transaction timeout (60 s: until then an open transaction would stall every read_committed importer), and
     * every job's output is committed exactly once.
     */
    @Test
    @Order(2)
    void sigtermMidJobLeavesNoHalfCommittedJob() throws Exception {
        cluster.awaitGroupsStable();
        int victim = 1;
        int survivor = 0;
        List<String> victimTxIds = cluster.importerClientIds(victim); // one transactional.id per importer worker
        AggregatedImport imp = new AggregatedImport("sigterm", 12_000, JOB_ROWS, 89).upload(cluster.app(survivor).url());
        try (Admin admin = Admin.create(kafka.admin())) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> imp.jobsDone(cluster::anyUrl) >= imp.jobsTotal() / 5 && ongoing(admin).stream().anyMatch(victimTxIds::contains));
            int doneAtStop = imp.jobsDone(cluster::anyUrl);
            long t0 = System.nanoTime();
            boolean graceful = cluster.terminate(victim, Duration.ofSeconds(30));
            ImporterCluster.log("%s exited %s in %d ms at %d/%d jobs", cluster.instanceId(victim),
                    graceful ? "by itself" : "only to SIGKILL", millisSince(t0), doneAtStop, imp.jobsTotal());
            assertTrue(graceful, "SIGTERM: the importer shuts down by itself");
            assertTrue(ongoing(admin).stream().noneMatch(victimTxIds::contains), "the stopped importer left no open transaction");
            assertTrue(doneAtStop < imp.jobsTotal(), "stopped mid-import: " + doneAtStop + "/" + imp.jobsTotal());

            JsonNode status = imp.awaitCompleted(() -> cluster.app(survivor).url(), Duration.ofSeconds(45));
            ImporterCluster.log("the survivor completed the import %d ms after the SIGTERM", millisSince(t0));
            cluster.awaitCaughtUp();
            verifyExactlyOnce(imp, status);
        }
    }

    /** {@link AggregatedImport#verify} on this broker, plus: every contact record committed once (no job twice). */
    private void verifyExactlyOnce(AggregatedImport imp, JsonNode status) {
        imp.verify(status, AggregatedImport.Committed.read(kafka));
        long contactRecords = TopicRecords.readCommitted(kafka, Topics.IMPORT_CONTACTS).stream()
                .filter(r -> r.value() != null && imp.importId.equals(r.value().importId())).count();
        assertEquals(imp.imported(), contactRecords, imp.tag + ": committed contact records (each job's once)");
    }

    private static List<String> ongoing(Admin admin) throws Exception {
        return admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                .all().get(30, TimeUnit.SECONDS).stream().map(TransactionListing::transactionalId).toList();
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
