package dev.edapatterns.notify.progress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Recent events per channel, fed by the {@code progress} topic: at most {@code maxPerChannel} per channel (oldest
 * dropped), none older than the TTL, and channels whose newest event is older than the TTL are forgotten, so memory
 * is bounded by what the topic produced within the TTL. Not thread-safe: {@link ProgressHub} guards it.
 */
final class ProgressHistory {

    private final Map<String, ArrayDeque<RetainedEvent>> channels = new HashMap<>();
    private final int maxPerChannel;
    private long events;

    ProgressHistory(int maxPerChannel) {
        if (maxPerChannel < 1) {
            throw new IllegalArgumentException("notify.history.max-per-channel must be >= 1");
        }
        this.maxPerChannel = maxPerChannel;
    }

    void append(RetainedEvent event, long cutoffMillis) {
        ArrayDeque<RetainedEvent> deque = channels.computeIfAbsent(event.channelId(), k -> new ArrayDeque<>());
        deque.addLast(event);
        events++;
        while (deque.size() > maxPerChannel) {
            deque.removeFirst();
            events--;
        }
        prune(event.channelId(), deque, cutoffMillis);
    }

    /** Retained events of the channel with {@code seq > after}, in seq order. */
    List<RetainedEvent> after(String channelId, long after, long cutoffMillis) {
        ArrayDeque<RetainedEvent> deque = channels.get(channelId);
        if (deque == null || !prune(channelId, deque, cutoffMillis)) {
            return List.of();
        }
        List<RetainedEvent> result = new ArrayList<>();
        for (RetainedEvent event : deque) {
            if (event.seq() > after) {
                result.add(event);
            }
        }
        return result;
    }

    /** Drops expired events everywhere and forgets empty channels; returns the number of channels forgotten. */
    int evictExpired(long cutoffMillis) {
        int evicted = 0;
        for (Iterator<Map.Entry<String, ArrayDeque<RetainedEvent>>> it = channels.entrySet().iterator(); it.hasNext();) {
            ArrayDeque<RetainedEvent> deque = it.next().getValue();
            events -= dropExpired(deque, cutoffMillis);
            if (deque.isEmpty()) {
                it.remove();
                evicted++;
            }
        }
        return evicted;
    }

    int channels() {
        return channels.size();
    }

    long events() {
        return events;
    }

    /** False (and the channel forgotten) when nothing younger than the cutoff is left. */
    private boolean prune(String channelId, ArrayDeque<RetainedEvent> deque, long cutoffMillis) {
        events -= dropExpired(deque, cutoffMillis);
        if (deque.isEmpty()) {
            channels.remove(channelId);
            return false;
        }
        return true;
    }

    private static int dropExpired(ArrayDeque<RetainedEvent> deque, long cutoffMillis) {
        int dropped = 0;
        while (!deque.isEmpty() && deque.peekFirst().timestamp() < cutoffMillis) {
            deque.removeFirst();
            dropped++;
        }
        return dropped;
    }
}
