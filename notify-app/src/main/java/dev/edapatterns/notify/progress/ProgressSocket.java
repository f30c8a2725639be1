package dev.edapatterns.notify.progress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.annotation.security.RolesAllowed;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.contracts.progress.ChannelId;
import dev.edapatterns.eventkit.security.ChannelTokens;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/**
 * {@code /progress/{channelId}?token=<channel token>[&after=<seq>]}: the progress events of one channel, fed by the
 * {@code progress} topic through {@link ProgressHub}; one JSON text frame per event. The upgrade needs a logged-in
 * importer or import-admin (HTTP Basic, or the page's form-login cookie; else 401/403), and the channel needs a token
 * import-app issued to that same user for this channel, still valid. Close codes: 1008 invalid channel id, token or
 * {@code after} (nothing is sent), 1013 slow consumer (resume with the {@code after} named in the reason).
 */
@WebSocket(path = "/progress/{channelId}")
@RolesAllowed({ ProgressSocket.IMPORTER_ROLE, ProgressSocket.ADMIN_ROLE })
public class ProgressSocket {

    public static final int POLICY_VIOLATION = 1008;
    public static final String IMPORTER_ROLE = "importer";
    public static final String ADMIN_ROLE = "import-admin";

    private final ProgressHub hub;
    private final ChannelTokens tokens;
    /** The user of the connection being opened (websockets-next keeps the upgrade's identity per connection). */
    private final SecurityIdentity identity;

    ProgressSocket(ProgressHub hub, @ConfigProperty(name = ChannelTokens.KEY_PROPERTY) String tokenKey,
            SecurityIdentity identity) {
        this.hub = hub;
        this.tokens = ChannelTokens.fromBase64(tokenKey);
        this.identity = identity;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        String channelId = connection.pathParam("channelId");
        if (!ChannelId.isValid(channelId)) {
            return connection.close(new CloseReason(POLICY_VIOLATION, "channelId must match " + ChannelId.PATTERN.pattern()));
        }
        String query = connection.handshakeRequest().query();
        Optional<String> refusal = tokens.refusal(queryParam(query, "token").orElse(null), channelId,
                identity.isAnonymous() ? null : identity.getPrincipal().getName());
        if (refusal.isPresent()) {
            return connection.close(new CloseReason(POLICY_VIOLATION, refusal.get()));
        }
        OptionalLong after;
        try {
            after = after(query);
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
        return queryParam(query, "after").map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
    }

    /** The first value of {@code name} in a raw query string, decoded. */
    static Optional<String> queryParam(String query, String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
