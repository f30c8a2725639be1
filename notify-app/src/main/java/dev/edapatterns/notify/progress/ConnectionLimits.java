package dev.edapatterns.notify.progress;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edapatterns.notify.NotifyConfig;

/**
 * The caps on open progress connections: {@code notify.ws.max-connections} per instance and
 * {@code notify.ws.max-connections-per-user}. A connection takes a slot when its handshake is admitted and gives it
 * back when it closes (or is refused later); a refused one holds nothing. Per instance, not cluster-wide: each
 * instance protects its own heap and event loops, and a client refused with 1013 may reconnect to another.
 */
@Singleton
public class ConnectionLimits {

    /** Why a connection was not admitted, with the close code and reason it gets. */
    enum Refusal {
        /** RFC 6455 1013 Try Again Later: the instance is full for now; another instance, or later, may take it. */
        INSTANCE_FULL(1013, "instance-full"),
        /** 1008 Policy Violation: reconnecting does not help until the user closes another connection. */
        USER_FULL(1008, "user-full");

        final int closeCode;
        /** The {@code reason} tag of {@code notify.websocket.refused}. */
        final String tag;

        Refusal(int closeCode, String tag) {
            this.closeCode = closeCode;
            this.tag = tag;
        }
    }

    private final int maxConnections;
    private final int maxPerUser;
    /** Guarded by this: the user of each admitted connection, and each user's count. */
    private final Map<String, String> userByConnection = new HashMap<>();
    private final Map<String, Integer> perUser = new HashMap<>();

    @Inject
    ConnectionLimits(NotifyConfig config) {
        this(config.ws().maxConnections(), config.ws().maxConnectionsPerUser());
    }

    ConnectionLimits(int maxConnections, int maxPerUser) {
        if (maxConnections < 1 || maxPerUser < 1) {
            throw new IllegalArgumentException("notify.ws.max-connections and max-connections-per-user must be >= 1");
        }
        this.maxConnections = maxConnections;
        this.maxPerUser = maxPerUser;
    }

    /** Takes a slot for the connection, or says which cap refuses it (null when admitted). */
    synchronized Refusal admit(String connectionId, String user) {
        if (userByConnection.containsKey(connectionId)) {
            return null;
        }
        if (perUser.getOrDefault(user, 0) >= maxPerUser) {
            return Refusal.USER_FULL;
        }
        if (userByConnection.size() >= maxConnections) {
            return Refusal.INSTANCE_FULL;
        }
        userByConnection.put(connectionId, user);
        perUser.merge(user, 1, Integer::sum);
        return null;
    }

    /** Gives the connection's slot back; a no-op for a connection that holds none (idempotent). */
    synchronized void release(String connectionId) {
        String user = userByConnection.remove(connectionId);
        if (user != null) {
            perUser.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Connections holding a slot. */
    public synchronized int open() {
        return userByConnection.size();
    }

    /** Users with at least one open connection (entries are removed at zero: the map is bounded by {@link #open}). */
    synchronized int users() {
        return perUser.size();
    }

    String reason(Refusal refusal) {
        return switch (refusal) {
            case INSTANCE_FULL -> "this instance has its maximum of " + maxConnections + " connections, try again later";
            case USER_FULL -> "too many progress connections for this user (at most " + maxPerUser + ")";
        };
    }
}
