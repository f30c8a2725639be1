package dev.edapatterns.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.progress.ProgressEvent;

/**
 * notify-app's {@code /progress/{channelId}} opened with the JDK's WebSocket client, as the page opens it: every
 * event pushed on the channel is kept, in the order the frames arrived.
 */
final class ProgressClient implements AutoCloseable {

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    ProgressClient(RunningApp notifyApp, String channelId) {
        URI uri = URI.create("ws://localhost:" + notifyApp.port + "/progress/" + channelId);
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Listener())
                    .get(10, TimeUnit.SECONDS);
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
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        socket.abort();
    }
}
