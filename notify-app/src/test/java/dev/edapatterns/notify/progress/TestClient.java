package dev.edapatterns.notify.progress;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.edapatterns.contracts.progress.ProgressEvent;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;

/** A websockets-next client that records every progress event and the close reason. */
final class TestClient implements AutoCloseable {

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();
    final WebSocketClientConnection connection;

    TestClient(URI base, String pathAndQuery) {
        connection = BasicWebSocketConnector.create()
                .baseUri(base)
                .path(pathAndQuery)
                // Handlers on the connection's event loop, one after another: BLOCKING would run them concurrently
                // on worker threads and reorder messages.
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, m) -> events.add(ProgressEvents.parse(m)))
                .onClose((c, reason) -> closed.set(reason))
                .connectAndAwait();
    }

    List<Long> seqs() {
        return events.stream().map(ProgressEvent::seq).toList();
    }

    @Override
    public void close() {
        if (connection.isOpen()) {
            connection.closeAndAwait();
        }
    }
}
