package dev.edapatterns.notify.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A client that stops reading is closed with 1013 once its unfinished sends exceed {@code notify.ws.max-pending},
 * while a reading client of the same channel keeps getting every event.
 *
 * <p>The slow client is a {@link PausedClient}: the server's writes to it stop completing and its pending count
 * grows. The events are large
 * (32 KB) so buffers fill after a few MB; they are produced in small batches, each awaited by the reading client,
 * which is what a healthy reader keeps up with.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@TestProfile(SlowClientTest.LowMaxPending.class)
class SlowClientTest {

    public static class LowMaxPending implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notify.ws.max-pending", "8");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String BIG = "x".repeat(32_000);
    private static final int BATCH = 4;
    private static final int MAX_EVENTS = 600;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Vertx vertx;

    @Inject
    ProgressHub hub;

    @Test
    void aClientThatDoesNotReadIsClosedWith1013WhileOthersKeepReceiving() throws Exception {
        String channel = ProgressEvents.newChannelId();
        long closedBefore = hub.stats().slowConsumersClosed();
        try (ProgressEvents progress = new ProgressEvents();
                TestClient reader = new TestClient(base, "/progress/" + channel);
                PausedClient slow = new PausedClient(vertx, base, channel)) {
            List<Long> sent = new ArrayList<>();
            while (hub.stats().slowConsumersClosed() == closedBefore && sent.size() < MAX_EVENTS) {
                for (int i = 0; i < BATCH; i++) {
                    sent.add(progress.send(channel, BIG, sent.size()));
                }
                int expected = sent.size();
                await().atMost(TIMEOUT).until(() -> reader.events.size() >= expected);
            }
            assertEquals(closedBefore + 1, hub.stats().slowConsumersClosed(),
                    "the paused client should have been cut off after " + sent.size() + " events");

            // Reading again, the slow client gets what was buffered, then the close frame.
            slow.resume();
            await().atMost(TIMEOUT).until(() -> slow.closeCode.get() != null);
            assertEquals((short) 1013, slow.closeCode.get());
            assertTrue(slow.closeReason.get().startsWith("slow consumer, resume with after="), slow.closeReason.get());
            assertTrue(slow.received.get() < sent.size(), "cut off before receiving everything");

            // The reading client was never slowed down and keeps receiving, in order.
            for (int i = 0; i < 10; i++) {
                sent.add(progress.send(channel, "small", i));
            }
            await().atMost(TIMEOUT).until(() -> reader.events.size() >= sent.size());
            assertEquals(sent, reader.seqs());
            assertEquals(null, reader.closed.get());
        }
    }
}
