package dev.edapatterns.notify.progress;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.edapatterns.contracts.progress.ProgressEvent;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;

/**
 * A websockets-next client that records every progress event and the close reason. By default it connects as
 * {@link #USER} (HTTP Basic on the upgrade) with a valid channel token for the path's channel, as the page does.
 */
final class TestClient implements AutoCloseable {

    /** The user the tests follow their channels as (dev/test password: the user name). */
    static final String USER = "importer";

    final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();
    final WebSocketClientConnection connection;

    /** {@code pathAndQuery} is {@code /progress/<channel>[?...]}: connects as USER with a token for that channel. */
    TestClient(URI base, String pathAndQuery) {
        this(base, pathAndQuery, USER, ProgressEvents.token(channelOf(pathAndQuery), USER));
    }

    /** As {@code user} (null: anonymous) with {@code token} (null: none) added to the query. */
    TestClient(URI base, String pathAndQuery, String user, String token) {
        String path = token == null ? pathAndQuery
                : pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "token=" + token;
        BasicWebSocketConnector connector = BasicWebSocketConnector.create()
                .baseUri(base)
                .path(path)
                // Handlers on the connection's event loop, one after another: BLOCKING would run them concurrently
                // on worker threads and reorder messages.
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, m) -> events.add(ProgressEvents.parse(m)))
                .onClose((c, reason) -> closed.set(reason));
        if (user != null) {
            connector.addHeader("Authorization", basic(user));
        }
        connection = connector.connectAndAwait();
    }

    static String channelOf(String pathAndQuery) {
        String channel = pathAndQuery.substring("/progress/".length());
        int query = channel.indexOf('?');
        return query < 0 ? channel : channel.substring(0, query);
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
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
