package dev.edapatterns.notify.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Memory bounds of the history: per-channel cap, TTL, and eviction of expired channels. */
class ProgressHistoryTest {

    private static RetainedEvent event(String channel, long seq, long timestamp) {
        return new RetainedEvent(channel, seq, timestamp, "{\"seq\":" + seq + "}");
    }

    private static List<Long> seqs(List<RetainedEvent> events) {
        return events.stream().map(RetainedEvent::seq).toList();
    }

    @Test
    void keepsAtMostMaxPerChannelDroppingTheOldest() {
        ProgressHistory history = new ProgressHistory(3);
        for (long seq = 0; seq < 10; seq++) {
            history.append(event("a", seq, 1_000), 0);
        }
        assertEquals(List.of(7L, 8L, 9L), seqs(history.after("a", -1, 0)));
        assertEquals(List.of(9L), seqs(history.after("a", 8, 0)));
        assertEquals(3, history.events());
    }

    @Test
    void dropsEventsOlderThanTheTtlAndForgetsExpiredChannels() {
        ProgressHistory history = new ProgressHistory(100);
        history.append(event("old", 1, 1_000), 0);
        history.append(event("mixed", 2, 1_000), 0);
        history.append(event("mixed", 3, 5_000), 0);
        assertEquals(2, history.channels());

        assertEquals(1, history.evictExpired(2_000));
        assertEquals(1, history.channels());
        assertEquals(List.of(3L), seqs(history.after("mixed", -1, 2_000)));
        assertEquals(List.of(), seqs(history.after("old", -1, 2_000)));

        assertEquals(List.of(), seqs(history.after("mixed", -1, 6_000)));
        assertEquals(0, history.channels());
        assertEquals(0, history.events());
    }
}
