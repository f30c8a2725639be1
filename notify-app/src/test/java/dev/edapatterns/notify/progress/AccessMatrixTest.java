package dev.edapatterns.notify.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of notify-app answers as docs/SECURITY.md says: GET /config.json from OpenAPI, the page and the
 * login form, and the progress WebSocket (user on the upgrade and that user's channel token) checked by name.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class AccessMatrixTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyOperationAnswersAsTheSecurityTableSays() {
        Runnable page = AccessMatrix.formLoginPage("/", "importer");
        try (ProgressEvents progress = new ProgressEvents()) {
            AccessMatrix.of("notify-app")
                    .route("PAGE /", page)
                    .route("FORM /j_security_check", page)
                    .route("WS /progress/{channelId}", () -> verify(base, progress))
                    .verify();
        }
    }

    /** WS /progress/{channelId}: only a valid token issued to the connected user for this channel opens it. */
    static void verify(URI base, ProgressEvents progress) {
        String channel = ProgressEvents.newChannelId();
        long seq = progress.send(channel, "imp-t", 1);
        String path = "/progress/" + channel + "?after=-1"; // everything retained: a leak would show
        try (TestClient right = new TestClient(base, path)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> right.events.size() >= 1);
            assertEquals(List.of(seq), right.seqs(), "the right token replays the history");
        }
        String other = ProgressEvents.newChannelId();
        String otherKey = Base64.getEncoder().encodeToString("another-key-that-is-32-bytes-long".getBytes(StandardCharsets.UTF_8));
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("forged", ChannelTokens.fromBase64(otherKey).issue(channel, TestClient.USER, Duration.ofMinutes(10)));
        refused.put("expired", ProgressEvents.tokens().issue(channel, TestClient.USER, Duration.ofMinutes(-5)));
        refused.put("other channel", ProgressEvents.token(other, TestClient.USER));
        refused.put("other user's", ProgressEvents.token(channel, "importer2"));
        refused.put("tampered", ProgressEvents.token(channel, TestClient.USER) + "x");
        refused.put("empty", "");
        for (Map.Entry<String, String> token : refused.entrySet()) {
            TestClient client = new TestClient(base, path, TestClient.USER, token.getValue());
            await().atMost(Duration.ofSeconds(30)).until(() -> client.closed.get() != null);
            assertEquals(1008, client.closed.get().getCode(), token.getKey());
            assertEquals(List.of(), client.events, token.getKey() + ": nothing sent");
        }
        TestClient noToken = new TestClient(base, path, TestClient.USER, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> noToken.closed.get() != null);
        assertEquals(1008, noToken.closed.get().getCode());
        assertEquals("a channel token is required", noToken.closed.get().getMessage());
        // importer's own token, presented by another user
        TestClient thief = new TestClient(base, path, "importer2", ProgressEvents.token(channel, TestClient.USER));
        await().atMost(Duration.ofSeconds(30)).until(() -> thief.closed.get() != null);
        assertEquals(1008, thief.closed.get().getCode());
        assertEquals(List.of(), thief.events);
        // the upgrade itself needs a logged-in importer or import-admin
        String valid = ProgressEvents.token(channel, TestClient.USER);
        assertThrows(RuntimeException.class, () -> new TestClient(base, path, null, valid), "anonymous");
        assertThrows(RuntimeException.class, () -> new TestClient(base, path, "clerk", ProgressEvents.token(channel, "clerk")),
                "a user without the role");
        // import-admin follows any channel with a token issued to them
        try (TestClient admin = new TestClient(base, path, "admin", ProgressEvents.token(channel, "admin"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.events.size() >= 1);
            assertEquals(List.of(seq), admin.seqs());
        }
    }
}
