package dev.edapatterns.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.progress.ProgressEvent;

/**
 * notify-app's {@code /progress/{channelId}?token=...&after=-1} opened with the JDK's WebSocket client, as the page
 * opens it once import-app answered the upload: as a user (HTTP Basic on the upgrade) with the channel token issued
 * to them, from the channel's first retained event. Every event pushed is kept, in the order the frames arrived, and
 * the close code when the server closes.
 */
final class ProgressClient implements AutoCloseable {

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    /** The server's close code (1008: the token was refused). */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    /** As {@link Http#IMPORTER}, who started the import and got {@code token} with it. */
    ProgressClient(RunningApp notifyApp, String channelId, String token) {
        this(notifyApp, channelId, token, Http.as(Http.IMPORTER));
    }

    ProgressClient(RunningApp notifyApp, String channelId, String token, Http.User user) {
        URI uri = URI.create("ws://localhost:" + notifyApp.port + "/progress/" + channelId + "?after=-1&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", user.authorization())
                    .buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + uri, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    events.add(Json.mapper().readValue(frame.toString(), ProgressEvent.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("not a progress event: " + frame, e);
                }
                frame.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        socket.abort();
    }
}
