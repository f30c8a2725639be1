package dev.edapatterns.notify.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ProgressSocketTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static ProgressEvents progress;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ProgressFeed feed;

    @BeforeAll
    static void producer() {
        progress = new ProgressEvents();
    }

    @AfterAll
    static void closeProducer() {
        progress.close();
    }

    @Test
    void manyEventsOfOneChannelArriveInOrderWithTheirOffsetAsSeq() {
        String channel = ProgressEvents.newChannelId();
        try (TestClient client = new TestClient(base, "/progress/" + channel)) {
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                offsets.add(progress.send(channel, "imp-1", i));
            }
            await().atMost(TIMEOUT).until(() -> client.events.size() >= 100);
            assertEquals(offsets, client.seqs());
            for (int i = 0; i < 100; i++) {
                ProgressEvent e = client.events.get(i);
                assertEquals(channel, e.channelId());
                assertEquals("imp-1", e.importId());
                assertEquals(ProgressType.PROCESSED, e.type());
                assertEquals(i, e.jobsDone());
                assertEquals(1000, e.jobsTotal());
                assertEquals(i * 10L, e.rowsImported());
                assertTrue(e.at() != null);
            }
        }
    }

    @Test
    void channelsAreIsolatedAndEveryConnectionOfAChannelGetsEverything() {
        String a = ProgressEvents.newChannelId();
        String b = ProgressEvents.newChannelId();
        try (TestClient a1 = new TestClient(base, "/progress/" + a);
                TestClient a2 = new TestClient(base, "/progress/" + a);
                TestClient b1 = new TestClient(base, "/progress/" + b)) {
            List<Long> seqA = new ArrayList<>();
            List<Long> seqB = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                seqA.add(progress.send(a, "imp-a", i));
                if (i % 2 == 0) {
                    seqB.add(progress.send(b, "imp-b", i));
                }
            }
            await().atMost(TIMEOUT).until(() -> a1.events.size() >= 20 && a2.events.size() >= 20 && b1.events.size() >= 10);
            assertEquals(seqA, a1.seqs());
            assertEquals(seqA, a2.seqs());
            assertEquals(seqB, b1.seqs());
            assertTrue(a1.events.stream().allMatch(e -> e.channelId().equals(a) && e.importId().equals("imp-a")));
            assertTrue(b1.events.stream().allMatch(e -> e.channelId().equals(b) && e.importId().equals("imp-b")));
        }
    }

    @Test
    void resumeWithAfterReplaysRetainedEventsThenLiveWithoutGapOrDuplicate() {
        String channel = ProgressEvents.newChannelId();
        try (TestClient first = new TestClient(base, "/progress/" + channel)) {
            for (int i = 0; i < 20; i++) {
                progress.send(channel, "imp-r", i);
            }
            await().atMost(TIMEOUT).until(() -> first.events.size() >= 20);
            long after = first.events.get(9).seq();
            // Live events keep coming while the second client connects: the replay/live hand-over races with them.
            CompletableFuture<Void> more = CompletableFuture.runAsync(() -> {
                for (int i = 20; i < 50; i++) {
                    progress.send(channel, "imp-r", i);
                }
            });
            try (TestClient resumed = new TestClient(base, "/progress/" + channel + "?after=" + after)) {
                more.join();
                await().atMost(TIMEOUT).until(() -> first.events.size() >= 50 && resumed.events.size() >= 40);
                assertEquals(first.seqs().subList(10, 50), resumed.seqs());
                assertEquals(50, first.events.size());
            }
        }
    }

    @Test
    void withoutAfterOnlyLiveEventsArrive() {
        String channel = ProgressEvents.newChannelId();
        progress.send(channel, "imp-old", 1);
        try (TestClient probe = new TestClient(base, "/progress/" + channel + "?after=-1")) {
            await().atMost(TIMEOUT).until(() -> probe.events.size() >= 1); // the old event is retained now
        }
        try (TestClient live = new TestClient(base, "/progress/" + channel)) {
            long seq = progress.send(channel, "imp-new", 2);
            await().atMost(TIMEOUT).until(() -> live.events.size() >= 1);
            assertEquals(List.of(seq), live.seqs());
        }
    }

    @Test
    void invalidChannelIdIsRefusedWithPolicyViolation() {
        for (String path : List.of("/progress/too-short", "/progress/" + "x".repeat(65), "/progress/abcdefghijklmnop.q",
                "/progress/" + ProgressEvents.newChannelId() + "?after=abc")) {
            TestClient client = new TestClient(base, path);
            await().atMost(TIMEOUT).until(() -> client.closed.get() != null);
            assertEquals(1008, client.closed.get().getCode(), path);
            assertTrue(!client.closed.get().getMessage().isBlank(), path);
        }
    }

    @Test
    void undeserializableRecordsAreCountedAndSkipped() throws Exception {
        String channel = ProgressEvents.newChannelId();
        long skippedBefore = feed.skipped();
        try (TestClient client = new TestClient(base, "/progress/" + channel);
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                        new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.PROGRESS.name(), channel, "{not json".getBytes())).get(30, TimeUnit.SECONDS);
            long seq = progress.send(channel, "imp-ok", 1);
            await().atMost(TIMEOUT).until(() -> client.events.size() >= 1);
            assertEquals(List.of(seq), client.seqs());
            assertEquals(skippedBefore + 1, feed.skipped());
        }
    }
}
