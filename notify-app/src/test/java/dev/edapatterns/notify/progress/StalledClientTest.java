package dev.edapatterns.notify.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * {@code notify.ws.max-pending-total} pauses the feed while too many frames are unwritten, but only for a while per
 * poll: a client that stops reading (and is not cut off, its own limit being high) holds more frames than the total
 * allows for as long as it stays connected, and the other clients must still get every event, in order.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@TestProfile(StalledClientTest.TinyTotal.class)
class StalledClientTest {

    public static class TinyTotal implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notify.ws.max-pending", "100000", "notify.ws.max-pending-total", "2");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BIG = "x".repeat(32_000);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    ProgressHub hub;

    @Test
    void aStalledClientOverTheTotalSlowsTheFeedButDoesNotStopIt() throws Exception {
        String channel = ProgressEvents.newChannelId();
        try (ProgressEvents progress = new ProgressEvents();
                TestClient reader = new TestClient(base, "/progress/" + channel);
                PausedClient stalled = new PausedClient(vertx, base, channel)) {
            // enough 32 KB frames to fill the stalled socket's buffers, then some: its frames stay unwritten
            List<Long> sent = new ArrayList<>();
            while (hub.stats().pendingFrames() <= 2 && sent.size() < 600) {
                for (int i = 0; i < 8; i++) {
                    sent.add(progress.send(channel, BIG, sent.size()));
                }
                int expected = sent.size();
                await().atMost(TIMEOUT).until(() -> reader.events.size() >= expected);
            }
            assertTrue(hub.stats().pendingFrames() > 2, "the stalled client should hold unwritten frames");

            // over the total for good now; the feed still moves, a poll at a time
            for (int i = 0; i < 10; i++) {
                sent.add(progress.send(channel, "small", i));
            }
            await().atMost(TIMEOUT).until(() -> reader.events.size() >= sent.size());
            assertEquals(sent, reader.seqs());
            assertNull(reader.closed.get());
            assertEquals(0, hub.stats().slowConsumersClosed(), "nobody was cut off: the per-connection limit is high");
            assertTrue(hub.stats().pendingFrames() > 2, "the stalled client still holds its frames");
            assertNull(stalled.closeCode.get(), "the stalled client stays connected");
        }
    }
}
