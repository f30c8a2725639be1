package dev.edapatterns.notify.progress;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A raw Vert.x WebSocket on a channel whose socket is paused: Vert.x stops reading from TCP, the small receive buffer
 * and then the server's send buffer fill, and the server's writes to it stop completing (they stay pending).
 * {@link #resume()} reads again; what arrives and how the connection closes are recorded.
 */
final class PausedClient implements AutoCloseable {

    final AtomicInteger received = new AtomicInteger();
    final AtomicReference<Short> closeCode = new AtomicReference<>();
    final AtomicReference<String> closeReason = new AtomicReference<>();
    private final WebSocketClient client;
    private final WebSocket socket;

    PausedClient(Vertx vertx, URI base, String channel) throws Exception {
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setReceiveBufferSize(8192).setMaxFrameSize(65536).setMaxMessageSize(1 << 20));
        socket = client.connect(new WebSocketConnectOptions().setPort(base.getPort()).setHost(base.getHost())
                .setURI("/progress/" + channel + "?token=" + ProgressEvents.token(channel, TestClient.USER))
                .addHeader("Authorization", TestClient.basic(TestClient.USER)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        socket.textMessageHandler(m -> received.incrementAndGet());
        socket.closeHandler(v -> {
            closeReason.set(socket.closeReason());
            closeCode.set(socket.closeStatusCode());
        });
        socket.pause();
    }

    void resume() {
        socket.resume();
    }

    @Override
    public void close() {
        client.close();
    }
}
