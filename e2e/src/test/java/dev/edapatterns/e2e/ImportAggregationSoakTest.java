package dev.edapatterns.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.eventkit.store.StoredState;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * The long variant of {@link ImportAggregationFaultTest} ({@code ./mvnw -B verify -Psoak -pl e2e -am}): three
 * import-app processes, rounds of two concurrent imports of 400-700 jobs each, ten {@code kill -9}s at random
 * moments (pure importers, the owners of either import's aggregate partition, any instance; restarted after 0-8 s,
 * so sometimes the partitions fail over first and sometimes the static member just comes back), and in the second
 * round every command of a finished import is redelivered while the round runs. Every import must end exact; at the
 * end every import is checked again, so a late duplicate anywhere would show.
 */
@Isolated("the long fault schedule is sized for a machine to itself")
@Tag("soak")
class ImportAggregationSoakTest {

    static final int KILLS = 10;
    static final int JOB_ROWS = ImportAggregationFaultTest.JOB_ROWS;

    @Test
    void tenKillsAtRandomMomentsAcrossRoundsOfConcurrentImports() throws Exception {
        long t0 = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (ImporterCluster cluster = new ImporterCluster("soak", 3, Map.of("import.jobs.max-rows", String.valueOf(JOB_ROWS))).start()) {
            RandomKills kills = new RandomKills(cluster);
            List<AggregatedImport> all = new ArrayList<>();
            Map<String, JsonNode> finalStatus = new HashMap<>();
            AggregatedImport redelivered = null;
            StoredState<ImportAggregate> redeliveredState = null;
            List<ProgressEvent> redeliveredEvents = null;
            CompletableFuture<Integer> redelivery = CompletableFuture.completedFuture(0);
            int round = 0;
            while (kills.kills().size() < KILLS) {
                round++;
                AggregatedImport a = new AggregatedImport("soak" + round + "-a", 8000 + random.nextInt(6000), JOB_ROWS, 97);
                AggregatedImport b = new AggregatedImport("soak" + round + "-b", 8000 + random.nextInt(6000), JOB_ROWS, 89);
                int ua = random.nextInt(cluster.size());
                int ub = (ua + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
                CompletableFuture.allOf(CompletableFuture.runAsync(() -> a.upload(cluster.app(ua).url())),
                        CompletableFuture.runAsync(() -> b.upload(cluster.app(ub).url()))).join();
                List<AggregatedImport> both = List.of(a, b);
                all.addAll(both);
                if (round == 2) { // every command of round 1's first import again, while this round's imports run
                    redelivered = all.get(0);
                    redeliveredState = ImportAggregationFaultTest.stored(redelivered.importId);
                    redeliveredEvents = redelivered.progressEvents(AggregatedImport.Committed.read());
                    redelivery = redeliverAll(redelivered);
                }

                int planned = Math.min(3, KILLS - kills.kills().size());
                double from = 0.05;
                double width = 0.85 / planned;
                for (int k = 0; k < planned; k++) {
                    int kind = kills.kills().size() % 4; // importer, owner of a, owner of b, any, importer, ...
                    String name = switch (kind) {
                        case 0 -> "importer";
                        case 1 -> "owner of " + a.tag;
                        case 2 -> "owner of " + b.tag;
                        default -> "any";
                    };
                    RandomKills.Victim victim = switch (kind) {
                        case 0 -> RandomKills.notOwningAggregatesOf(both);
                        case 1 -> RandomKills.aggregateOwnerOf(a);
                        case 2 -> RandomKills.aggregateOwnerOf(b);
                        default -> RandomKills.anyInstance();
                    };
                    kills.kill(both, from + k * width, from + (k + 1) * width, name, victim, 8000);
                }
                kills.awaitRestarted();
                for (AggregatedImport i : both) {
                    finalStatus.put(i.importId, i.awaitCompleted(cluster::anyUrl, Duration.ofMinutes(5)));
                }
                cluster.awaitCaughtUp();
                AggregatedImport.Committed topics = AggregatedImport.Committed.read();
                for (AggregatedImport i : both) {
                    i.verify(finalStatus.get(i.importId), topics);
                }
                ImporterCluster.log("SOAK round %d verified (%s, %s); kills so far %d", round, a, b, kills.kills().size());
            }
            int resent = redelivery.get();

            // at the end, everything again: nothing changed after its COMPLETED, whatever happened later
            cluster.awaitCaughtUp();
            AggregatedImport.Committed topics = AggregatedImport.Committed.read();
            for (AggregatedImport i : all) {
                i.verify(finalStatus.get(i.importId), topics);
                assertEquals(AggregatedImport.withoutChannelToken(finalStatus.get(i.importId)),
                        AggregatedImport.withoutChannelToken(i.status(cluster::anyUrl)), i + " GET unchanged");
            }
            if (redelivered != null) {
                assertEquals(redeliveredState, ImportAggregationFaultTest.stored(redelivered.importId),
                        "redelivering all " + resent + " commands of " + redelivered + " changed its stored aggregate");
                assertEquals(redeliveredEvents, redelivered.progressEvents(topics),
                        "redelivering all commands of " + redelivered + " emitted progress");
            }
            assertTrue(kills.kills().stream().filter(RandomKills.Kill::midImport).count() >= KILLS - 2,
                    "the kills landed mid-import: " + kills.kills());

            long rows = all.stream().mapToLong(AggregatedImport::imported).sum();
            int jobs = all.stream().mapToInt(AggregatedImport::jobsTotal).sum();
            ImporterCluster.log("SOAK passed in %d s: %d rounds, %d imports, %d jobs, %d rows, %d kills, %d commands redelivered",
                    Duration.ofNanos(System.nanoTime() - t0).toSeconds(), round, all.size(), jobs, rows, kills.kills().size(), resent);
            kills.kills().forEach(k -> ImporterCluster.log("SOAK kill %s", k));
        }
    }

    /** Re-produces every committed command of a finished import (ACCEPTED and each JOB_FINISHED), in order. */
    private static CompletableFuture<Integer> redeliverAll(AggregatedImport done) {
        done.commandsResent = true;
        List<ImportCommand> commands = AggregatedImport.Committed.read().commands().stream().map(ConsumerRecord::value)
                .filter(c -> c != null && done.importId.equals(c.importId())).toList();
        return CompletableFuture.supplyAsync(() -> {
            var topic = Topics.IMPORT_AGGREGATE_COMMANDS;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (ImportCommand c : commands) {
                    RecordHeaders headers = new RecordHeaders();
                    producer.send(new ProducerRecord<>(topic.name(), null, topic.keySerializer().serialize(topic.name(), headers,
                            c.importId()), topic.valueSerializer().serialize(topic.name(), headers, c), headers));
                }
                producer.flush();
            }
            ImporterCluster.log("SOAK redelivered %d commands of %s", commands.size(), done);
            return commands.size();
        });
    }
}
