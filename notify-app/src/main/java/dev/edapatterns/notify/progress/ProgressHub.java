package dev.edapatterns.notify.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

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
 * <p>One lock guards history and subscriptions: the feed appends a poll's events and picks their receivers under it,
 * and a new connection takes its history snapshot (at most {@code notify.history.max-replay} events) and registers
 * under it, so replay and live never leave a gap or send twice. The replay itself is sent outside the lock: until it
 * is done, the connection's live events wait in its own backlog (bounded like its pending sends), so a long replay
 * delays that connection only, never the feed or other connections.
 *
 * <p>The feed thread writes the frames after leaving the lock, off the event loops on purpose: Vert.x queues such
 * writes to the connection's event loop and flushes once per run of queued writes, so when frames pile up they leave
 * in one socket write per connection instead of one each (writing on the event loop flushes every frame). A
 * connection with more than {@code notify.ws.max-pending} frames not yet written to its socket is closed with 1013
 * instead of buffering without bound; and while more than {@code notify.ws.max-pending-total} frames are pending in
 * all, the feed stops polling (for up to 500 ms per poll), so a backlog stays in Kafka, not in the heap.
 */
@ApplicationScoped
public class ProgressHub {

    /** Close code for connections that cannot keep up (RFC 6455 "Try Again Later"). */
    public static final int TRY_AGAIN_LATER = 1013;

    /** The longest {@link #publish} waits for pending frames to drain. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private static final Logger LOG = Logger.getLogger(ProgressHub.class);

    private final Object lock = new Object();
    private final ProgressHistory history;
    private final Map<String, List<Subscriber>> subscribers = new HashMap<>();
    private final Map<String, Subscriber> byConnection = new HashMap<>();
    private final long ttlMillis;
    private final int maxPending;
    private final long maxPendingTotal;
    private final int maxReplay;
    private final AtomicLong slowConsumersClosed = new AtomicLong();
    private final Timer fanOutLatency;
    private final AtomicLong pendingFrames = new AtomicLong();

    ProgressHub(NotifyConfig config, MeterRegistry registry) {
        this.history = new ProgressHistory(config.history().maxPerChannel(), config.history().maxEvents());
        this.ttlMillis = config.history().ttl().toMillis();
        this.maxPending = config.ws().maxPending();
        this.maxPendingTotal = config.ws().maxPendingTotal();
        this.maxReplay = config.history().maxReplay();
        if (maxReplay < 0) {
            throw new IllegalArgumentException("notify.history.max-replay must be >= 0");
        }
        Gauge.builder("notify.websocket.sessions", this, hub -> hub.stats().connections())
                .description("Open progress WebSocket connections").register(registry);
        Gauge.builder("notify.websocket.pending.frames", pendingFrames, AtomicLong::get)
                .description("Frames queued for progress WebSockets and not yet written (replay backlogs included)")
                .register(registry);
        FunctionCounter.builder("notify.slow.consumers.closed", slowConsumersClosed, AtomicLong::get)
                .description("Connections closed with 1013 (too many pending sends)").register(registry);
        // from the record's timestamp in `progress` to its first frame queued for a socket (live events, once per
        // event: a timer per frame cost a few % of the CPU at 200,000 frames/s)
        this.fanOutLatency = Timer.builder("notify.fanout.latency")
                .description("Progress record timestamp to its frames queued for the sockets")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(registry);
    }

    /**
     * Called by the feed thread with each poll's events, in offset order per channel: appends them to the history and
     * writes their frames. Waits first (up to 500 ms) while more than {@code notify.ws.max-pending-total} frames are
     * pending.
     */
    void publish(List<RetainedEvent> events) throws InterruptedException {
        // bounded: frames that never complete (stalled clients) must not stop the feed; sending on cuts those clients
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (pendingFrames.get() > maxPendingTotal && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        List<Subscriber> receivers = new ArrayList<>();
        List<RetainedEvent> frames = new ArrayList<>();
        List<Subscriber> overflowing = new ArrayList<>();
        synchronized (lock) {
            long cutoff = cutoff();
            for (RetainedEvent event : events) {
                history.append(event, cutoff);
                List<Subscriber> list = subscribers.get(event.channelId());
                if (list == null) {
                    continue;
                }
                for (Subscriber s : list) {
                    if (event.seq() > s.lastSeq) {
                        s.lastSeq = event.seq();
                        if (s.backlog == null) {
                            receivers.add(s);
                            frames.add(event);
                        } else if (!s.cut && !queue(s, event)) {
                            s.cut = true; // cut below, outside the iteration over the channel's subscribers
                            overflowing.add(s);
                        }
                    }
                }
            }
        }
        overflowing.forEach(this::cutOff);
        // an event's frames are adjacent; its latency is recorded once, as its first frame is queued
        RetainedEvent previous = null;
        for (int i = 0; i < receivers.size(); i++) {
            RetainedEvent event = frames.get(i);
            if (event != previous) {
                fanOutLatency.record(Math.max(0, System.currentTimeMillis() - event.timestamp()), TimeUnit.MILLISECONDS);
                previous = event;
            }
            send(receivers.get(i), event);
        }
    }

    /**
     * Registers a connection for the channel's live events; with {@code after}, first sends the newest retained events
     * with a greater seq (at most {@code notify.history.max-replay}). Runs on the connection's event loop; the replay
     * is sent outside the hub's lock.
     */
    void subscribe(WebSocketConnection connection, String channelId, OptionalLong after) {
        Subscriber s = new Subscriber(connection, channelId, after.orElse(-1));
        List<RetainedEvent> batch;
        synchronized (lock) {
            batch = after.isPresent() ? history.after(channelId, after.getAsLong(), cutoff(), maxReplay) : List.of();
            if (!batch.isEmpty()) {
                s.lastSeq = batch.get(batch.size() - 1).seq();
                s.backlog = new ArrayList<>();
            }
            subscribers.computeIfAbsent(channelId, k -> new ArrayList<>()).add(s);
            byConnection.put(connection.id(), s);
        }
        // The replay, then whatever the feed queued meanwhile, until a look under the lock finds nothing queued: from
        // then on the feed sends to it directly, after these sends (so in seq order).
        while (!batch.isEmpty()) {
            for (RetainedEvent event : batch) {
                if (!send(s, event)) {
                    return;
                }
            }
            synchronized (lock) {
                if (s.cut) {
                    return;
                }
                batch = s.backlog;
                pendingFrames.addAndGet(-batch.size());
                s.backlog = batch.isEmpty() ? null : new ArrayList<>();
            }
        }
    }

    void unsubscribe(WebSocketConnection connection) {
        synchronized (lock) {
            Subscriber s = byConnection.remove(connection.id());
            if (s != null) {
                if (s.backlog != null) {
                    pendingFrames.addAndGet(-s.backlog.size());
                    s.backlog = List.of(); // the replaying thread finds it cut or closed and stops
                }
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
            return new Stats(history.channels(), history.events(), byConnection.size(), slowConsumersClosed.get(),
                    pendingFrames.get());
        }
    }

    /** Counters for health data and tests. */
    public record Stats(int channels, long retainedEvents, int connections, long slowConsumersClosed, long pendingFrames) {
    }

    private long cutoff() {
        return System.currentTimeMillis() - ttlMillis;
    }

    /**
     * Non-blocking; false when the connection was just closed as a slow consumer. A connection closed by its client is
     * not checked here (that check takes the socket's lock, per frame): its sends fail, and onClose unsubscribes it.
     */
    private boolean send(Subscriber s, RetainedEvent event) {
        if (s.cut) {
            return false;
        }
        if (s.pending.incrementAndGet() > maxPending) {
            s.pending.decrementAndGet();
            cutOff(s);
            return false;
        }
        s.sentSeq = event.seq();
        pendingFrames.incrementAndGet();
        s.connection.sendText(event.json()).subscribe().with(ok -> sent(s), failure -> sent(s));
        return true;
    }

    /**
     * Queues a live event for a connection still replaying (under the lock); false when that would exceed its
     * {@code notify.ws.max-pending}, sends and queue together: it is then cut off as a slow consumer.
     */
    private boolean queue(Subscriber s, RetainedEvent event) {
        if (s.backlog.size() + s.pending.get() >= maxPending) {
            return false;
        }
        s.backlog.add(event);
        pendingFrames.incrementAndGet();
        return true;
    }

    private void sent(Subscriber s) {
        s.pending.decrementAndGet();
        pendingFrames.decrementAndGet();
    }

    private void cutOff(Subscriber s) {
        s.cut = true;
        unsubscribe(s.connection);
        slowConsumersClosed.incrementAndGet();
        String reason = "slow consumer, resume with after=" + s.sentSeq;
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
        /** Seq of the last event sent or queued (or the client's {@code after}); guarded by the hub's lock. */
        long lastSeq;
        /** Seq of the last frame handed to the socket (the resume point named in a 1013). */
        volatile long sentSeq;
        /** Closed as a slow consumer: frames still queued for it are dropped (it resumes with after=). */
        volatile boolean cut;
        /** Live events that arrived while its replay is being sent, or null once it is live; guarded by the lock. */
        List<RetainedEvent> backlog;

        Subscriber(WebSocketConnection connection, String channelId, long after) {
            this.connection = connection;
            this.channelId = channelId;
            this.lastSeq = after;
            this.sentSeq = after;
        }
    }
}
