package dev.edapatterns.notify.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.edapatterns.notify.NotifyConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Fan-out of the {@code progress} topic (via {@link ProgressFeed}) to the WebSocket connections of each channel,
 * with the recent history for {@code ?after=} resumes.
 *
 * <p>One lock guards history and subscriptions: the feed appends and dispatches under it, and a new connection
 * takes its history snapshot and registers under it, so replay and live never leave a gap or send twice. Sends are
 * non-blocking; a connection with more than {@code notify.ws.max-pending} sends not yet completed is closed with
 * 1013 instead of buffering without bound.
 */
@ApplicationScoped
public class ProgressHub {

    /** Close code for connections that cannot keep up (RFC 6455 "Try Again Later"). */
    public static final int TRY_AGAIN_LATER = 1013;

    private static final Logger LOG = Logger.getLogger(ProgressHub.class);

    private final Object lock = new Object();
    private final ProgressHistory history;
    private final Map<String, List<Subscriber>> subscribers = new HashMap<>();
    private final Map<String, Subscriber> byConnection = new HashMap<>();
    private final long ttlMillis;
    private final int maxPending;
    private final AtomicLong slowConsumersClosed = new AtomicLong();
    private final Timer fanOutLatency;

    ProgressHub(NotifyConfig config, MeterRegistry registry) {
        this.history = new ProgressHistory(config.history().maxPerChannel());
        this.ttlMillis = config.history().ttl().toMillis();
        this.maxPending = config.ws().maxPending();
        Gauge.builder("notify.websocket.sessions", this, hub -> hub.stats().connections())
                .description("Open progress WebSocket connections").register(registry);
        FunctionCounter.builder("notify.slow.consumers.closed", slowConsumersClosed, AtomicLong::get)
                .description("Connections closed with 1013 (too many pending sends)").register(registry);
        // from the record's timestamp in `progress` to the frame written on the socket (live events, not replays)
        this.fanOutLatency = Timer.builder("notify.fanout.latency")
                .description("Progress record timestamp to WebSocket frame sent")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    /** Called by the feed thread for every record, in offset order per channel. */
    void publish(RetainedEvent event) {
        synchronized (lock) {
            history.append(event, cutoff());
            List<Subscriber> list = subscribers.get(event.channelId());
            if (list == null) {
                return;
            }
            for (Iterator<Subscriber> it = list.iterator(); it.hasNext();) {
                Subscriber s = it.next();
                if (event.seq() > s.lastSeq && !send(s, event, true)) {
                    it.remove();
                    byConnection.remove(s.connection.id());
                }
            }
            if (list.isEmpty()) {
                subscribers.remove(event.channelId());
            }
        }
    }

    /**
     * Registers a connection for the channel's live events; with {@code after}, first sends the retained events with
     * a greater seq.
     */
    void subscribe(WebSocketConnection connection, String channelId, OptionalLong after) {
        Subscriber s = new Subscriber(connection, channelId, after.orElse(-1));
        synchronized (lock) {
            if (after.isPresent()) {
                for (RetainedEvent event : history.after(channelId, after.getAsLong(), cutoff())) {
                    if (!send(s, event, false)) {
                        return;
                    }
                }
            }
            subscribers.computeIfAbsent(channelId, k -> new ArrayList<>()).add(s);
            byConnection.put(connection.id(), s);
        }
    }

    void unsubscribe(WebSocketConnection connection) {
        synchronized (lock) {
            Subscriber s = byConnection.remove(connection.id());
            if (s != null) {
                List<Subscriber> list = subscribers.get(s.channelId);
                if (list != null && list.remove(s) && list.isEmpty()) {
                    subscribers.remove(s.channelId);
                }
            }
        }
    }

    /** Forgets expired events and channels; the feed calls it about once a second. */
    void evictExpired() {
        synchronized (lock) {
            history.evictExpired(cutoff());
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(history.channels(), history.events(), byConnection.size(), slowConsumersClosed.get());
        }
    }

    /** Counters for health data and tests. */
    public record Stats(int channels, long retainedEvents, int connections, long slowConsumersClosed) {
    }

    private long cutoff() {
        return System.currentTimeMillis() - ttlMillis;
    }

    /** Non-blocking; false when the connection is gone or was just closed as a slow consumer. Under the lock. */
    private boolean send(Subscriber s, RetainedEvent event, boolean live) {
        if (!s.connection.isOpen()) {
            return false;
        }
        if (s.pending.incrementAndGet() > maxPending) {
            s.pending.decrementAndGet();
            cutOff(s);
            return false;
        }
        s.lastSeq = event.seq();
        s.connection.sendText(event.json()).subscribe().with(
                ok -> {
                    s.pending.decrementAndGet();
                    if (live) {
                        fanOutLatency.record(Math.max(0, System.currentTimeMillis() - event.timestamp()), TimeUnit.MILLISECONDS);
                    }
                },
                failure -> s.pending.decrementAndGet());
        return true;
    }

    private void cutOff(Subscriber s) {
        slowConsumersClosed.incrementAndGet();
        String reason = "slow consumer, resume with after=" + s.lastSeq;
        LOG.warnf("Closing connection %s of channel %s: %d sends pending (%s)", s.connection.id(), s.channelId,
                s.pending.get(), reason);
        s.connection.close(new CloseReason(TRY_AGAIN_LATER, reason)).subscribe().with(
                ok -> {
                },
                failure -> LOG.debugf("Close of slow connection %s failed: %s", s.connection.id(), failure.getMessage()));
    }

    private static final class Subscriber {
        final WebSocketConnection connection;
        final String channelId;
        final AtomicInteger pending = new AtomicInteger();
        /** Seq of the last event sent (or the client's {@code after}); guarded by the hub's lock. */
        long lastSeq;

        Subscriber(WebSocketConnection connection, String channelId, long after) {
            this.connection = connection;
            this.channelId = channelId;
            this.lastSeq = after;
        }
    }
}
