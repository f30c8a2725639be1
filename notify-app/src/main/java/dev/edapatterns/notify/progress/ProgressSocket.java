package dev.edapatterns.notify.progress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import dev.edapatterns.contracts.progress.ChannelId;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * {@code /progress/{channelId}[?after=<seq>]}: the progress events of one channel, fed by the {@code progress} topic
 * through {@link ProgressHub}; one JSON text frame per event. Close codes: 1008 invalid channel id or {@code after},
 * 1013 slow consumer (resume with the {@code after} named in the reason).
 */
@WebSocket(path = "/progress/{channelId}")
public class ProgressSocket {

    public static final int POLICY_VIOLATION = 1008;

    private final ProgressHub hub;

    ProgressSocket(ProgressHub hub) {
        this.hub = hub;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String channelId = connection.pathParam("channelId");
        if (!ChannelId.isValid(channelId)) {
            return connection.close(new CloseReason(POLICY_VIOLATION, "channelId must match " + ChannelId.PATTERN.pattern()));
        }
        OptionalLong after;
        try {
            after = after(connection.handshakeRequest().query());
        } catch (NumberFormatException e) {
            return connection.close(new CloseReason(POLICY_VIOLATION, "after must be an integer (a seq)"));
        }
        hub.subscribe(connection, channelId, after);
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        hub.unsubscribe(connection);
    }

    static OptionalLong after(String query) {
        if (query == null || query.isEmpty()) {
            return OptionalLong.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals("after")) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return OptionalLong.of(Long.parseLong(value.trim()));
            }
        }
        return OptionalLong.empty();
    }
}
