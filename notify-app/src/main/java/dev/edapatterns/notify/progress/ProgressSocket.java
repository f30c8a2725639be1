package dev.edapatterns.notify.progress;

import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.notify.NotifyConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * {@code after} (nothing is sent), or the user's connection cap reached; 1013 the instance's connection cap reached
 * (try again later), or slow consumer (resume with the {@code after} named in the reason).
 *
 * <p>Checks run cheapest first, and a refused connection holds nothing: the shape of the inputs, then the caps
 * ({@link ConnectionLimits}), then the token's signature, then the subscription (and its replay).
 */
@WebSocket(path = "/progress/{channelId}")
@RolesAllowed({ ProgressSocket.IMPORTER_ROLE, ProgressSocket.ADMIN_ROLE })
public class ProgressSocket {

    public static final int POLICY_VIOLATION = 1008;
    public static final String IMPORTER_ROLE = "importer";
    public static final String ADMIN_ROLE = "import-admin";

    private final ProgressHub hub;
    private final ConnectionLimits limits;
    private final ChannelTokens tokens;
    private final int maxTokenLength;
    /** The user of the connection being opened (websockets-next keeps the upgrade's identity per connection). */
    private final SecurityIdentity identity;
    private final MeterRegistry registry;

    ProgressSocket(ProgressHub hub, ConnectionLimits limits, NotifyConfig config,
            @ConfigProperty(name = ChannelTokens.KEY_PROPERTY) String tokenKey, SecurityIdentity identity,
            MeterRegistry registry) {
        this.hub = hub;
        this.limits = limits;
        this.tokens = ChannelTokens.fromBase64(tokenKey);
        this.maxTokenLength = config.ws().maxTokenLength();
        this.identity = identity;
        this.registry = registry;
    }

    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection) {
        SubscribeRequest.Parsed parsed = SubscribeRequest.parse(connection.pathParam("channelId"),
                connection.handshakeRequest().query(), maxTokenLength);
        if (parsed.refusal() != null) {
            return refuse(connection, "request", POLICY_VIOLATION, parsed.refusal());
        }
        SubscribeRequest request = parsed.request();
        String user = identity.getPrincipal().getName(); // never anonymous: @RolesAllowed ran on the upgrade
        ConnectionLimits.Refusal full = limits.admit(connection.id(), user);
        if (full != null) {
            return refuse(connection, full.tag, full.closeCode, limits.reason(full));
        }
        Optional<String> invalid = tokens.refusal(request.token(), request.channelId(), user);
        if (invalid.isPresent()) {
            limits.release(connection.id());
            return refuse(connection, "token", POLICY_VIOLATION, invalid.get());
        }
        hub.subscribe(connection, request.channelId(), request.after());
        if (connection.isClosed()) { // closed by the client meanwhile: onClose may have run before the slot was taken
            onClose(connection);
        }
        return Uni.createFrom().voidItem();
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        hub.unsubscribe(connection);
        limits.release(connection.id());
    }

    /** Closes at once; counted per reason (a fixed set of tags: never the channel id or the user). */
    private Uni<Void> refuse(WebSocketConnection connection, String reasonTag, int code, String reason) {
        Counter.builder("notify.websocket.refused").tag("reason", reasonTag)
                .description("Progress WebSocket handshakes closed at once, per reason").register(registry).increment();
        return connection.close(new CloseReason(code, reason));
    }
}
