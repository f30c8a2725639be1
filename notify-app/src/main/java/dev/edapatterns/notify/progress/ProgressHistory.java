package dev.edapatterns.notify.progress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Recent events per channel, fed by the {@code progress} topic: at most {@code maxPerChannel} per channel and
 * {@code maxEvents} in all (the oldest dropped first), none older than the TTL, and channels whose newest event is
 * older than the TTL are forgotten. The total cap is what bounds the heap: the per-channel cap alone does not, as
 * the number of channels seen within the TTL has no limit. Not thread-safe: {@link ProgressHub} guards it.
 */
final class ProgressHistory {

    /** A retained event; {@code dropped} once a per-channel rule removed it, so the global order can skip it. */
    private static final class Entry {
        final RetainedEvent event;
        boolean dropped;

        Entry(RetainedEvent event) {
            this.event = event;
        }
    }

    private final Map<String, ArrayDeque<Entry>> channels = new HashMap<>();
    /** Every retained entry in append order (plus dropped ones not yet skipped), for the total cap. */
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private final int maxPerChannel;
    private final long maxEvents;
    private long events;

    ProgressHistory(int maxPerChannel, long maxEvents) {
        if (maxPerChannel < 1) {
            throw new IllegalArgumentException("notify.history.max-per-channel must be >= 1");
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("notify.history.max-events must be >= 1");
        }
        this.maxPerChannel = maxPerChannel;
        this.maxEvents = maxEvents;
    }

    void append(RetainedEvent event, long cutoffMillis) {
        ArrayDeque<Entry> deque = channels.computeIfAbsent(event.channelId(), k -> new ArrayDeque<>());
        Entry entry = new Entry(event);
        deque.addLast(entry);
        order.addLast(entry);
        events++;
        while (deque.size() > maxPerChannel) {
            drop(deque.removeFirst());
        }
        prune(event.channelId(), deque, cutoffMillis);
        while (events > maxEvents) {
            dropOldest();
        }
        if (order.size() > 2 * maxEvents + 1024) {
            order.removeIf(e -> e.dropped); // amortised: dropped entries must not pile up behind live ones
        }
    }

    /**
     * The newest {@code limit} retained events of the channel with {@code seq > after}, in seq order. Reads from the
     * newest back, so the work is at most {@code limit} events whatever the channel holds.
     */
    List<RetainedEvent> after(String channelId, long after, long cutoffMillis, int limit) {
        ArrayDeque<Entry> deque = channels.get(channelId);
        if (deque == null || !prune(channelId, deque, cutoffMillis)) {
            return List.of();
        }
        List<RetainedEvent> result = new ArrayList<>();
        for (Iterator<Entry> it = deque.descendingIterator(); it.hasNext() && result.size() < limit;) {
            RetainedEvent event = it.next().event;
            if (event.seq() <= after) {
                break; // a channel's events are in seq order
            }
            result.add(event);
        }
        Collections.reverse(result);
        return result;
    }

    /** Drops expired events everywhere and forgets empty channels; returns the number of channels forgotten. */
    int evictExpired(long cutoffMillis) {
        int evicted = 0;
        for (Iterator<Map.Entry<String, ArrayDeque<Entry>>> it = channels.entrySet().iterator(); it.hasNext();) {
            ArrayDeque<Entry> deque = it.next().getValue();
            dropExpired(deque, cutoffMillis);
            if (deque.isEmpty()) {
                it.remove();
                evicted++;
            }
        }
        while (!order.isEmpty() && order.peekFirst().dropped) {
            order.removeFirst();
        }
        return evicted;
    }

    int channels() {
        return channels.size();
    }

    long events() {
        return events;
    }

    /** The oldest retained event is also the oldest of its channel: both rules drop from the front. */
    private void dropOldest() {
        Entry oldest = order.removeFirst();
        while (oldest.dropped) {
            oldest = order.removeFirst();
        }
        String channelId = oldest.event.channelId();
        ArrayDeque<Entry> deque = channels.get(channelId);
        drop(deque.removeFirst());
        if (deque.isEmpty()) {
            channels.remove(channelId);
        }
    }

    private void drop(Entry entry) {
        entry.dropped = true;
        events--;
    }

    /** False (and the channel forgotten) when nothing younger than the cutoff is left. */
    private boolean prune(String channelId, ArrayDeque<Entry> deque, long cutoffMillis) {
        dropExpired(deque, cutoffMillis);
        if (deque.isEmpty()) {
            channels.remove(channelId);
            return false;
        }
        return true;
    }

    private void dropExpired(ArrayDeque<Entry> deque, long cutoffMillis) {
        while (!deque.isEmpty() && deque.peekFirst().event.timestamp() < cutoffMillis) {
            drop(deque.removeFirst());
        }
    }
}
