package dev.edapatterns.notify.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Memory bounds of the history: per-channel cap, total cap, TTL, eviction of expired channels; the replay bound. */
@Tag("unit")
class ProgressHistoryTest {

    /** No replay bound. */
    private static final int ALL = Integer.MAX_VALUE;

    private static RetainedEvent event(String channel, long seq, long timestamp) {
        return new RetainedEvent(channel, seq, timestamp, "{\"seq\":" + seq + "}");
    }

    private static List<Long> seqs(List<RetainedEvent> events) {
        return events.stream().map(RetainedEvent::seq).toList();
    }

    @Test
    void keepsAtMostMaxPerChannelDroppingTheOldest() {
        ProgressHistory history = new ProgressHistory(3, 1_000);
        for (long seq = 0; seq < 10; seq++) {
            history.append(event("a", seq, 1_000), 0);
        }
        assertEquals(List.of(7L, 8L, 9L), seqs(history.after("a", -1, 0, ALL)));
        assertEquals(List.of(9L), seqs(history.after("a", 8, 0, ALL)));
        assertEquals(3, history.events());
    }

    @Test
    void dropsEventsOlderThanTheTtlAndForgetsExpiredChannels() {
        ProgressHistory history = new ProgressHistory(100, 1_000);
        history.append(event("old", 1, 1_000), 0);
        history.append(event("mixed", 2, 1_000), 0);
        history.append(event("mixed", 3, 5_000), 0);
        assertEquals(2, history.channels());

        assertEquals(1, history.evictExpired(2_000));
        assertEquals(1, history.channels());
        assertEquals(List.of(3L), seqs(history.after("mixed", -1, 2_000, ALL)));
        assertEquals(List.of(), seqs(history.after("old", -1, 2_000, ALL)));

        assertEquals(List.of(), seqs(history.after("mixed", -1, 6_000, ALL)));
        assertEquals(0, history.channels());
        assertEquals(0, history.events());
    }

    @Test
    void keepsAtMostMaxEventsOverAllChannelsDroppingTheOldest() {
        ProgressHistory history = new ProgressHistory(2, 4);
        history.append(event("a", 1, 1_000), 0);
        history.append(event("a", 2, 1_000), 0);
        history.append(event("a", 3, 1_000), 0); // the per-channel cap drops 1 first
        history.append(event("b", 4, 1_000), 0);
        history.append(event("c", 5, 1_000), 0);
        history.append(event("c", 6, 1_000), 0); // 5 retained: the oldest, 2, goes
        assertEquals(4, history.events());
        assertEquals(List.of(3L), seqs(history.after("a", -1, 0, ALL)));
        history.append(event("d", 7, 1_000), 0); // then 3, and channel a with it
        assertEquals(List.of(), seqs(history.after("a", -1, 0, ALL)));
        assertEquals(List.of(4L), seqs(history.after("b", -1, 0, ALL)));
        assertEquals(List.of(5L, 6L), seqs(history.after("c", -1, 0, ALL)));
        assertEquals(List.of(7L), seqs(history.after("d", -1, 0, ALL)));
        assertEquals(3, history.channels());
        assertEquals(4, history.events());

        for (long seq = 8; seq < 10_000; seq++) { // one busy channel: dropped entries do not pile up
            history.append(event("e", seq, 1_000), 0);
        }
        assertEquals(4, history.events());
        assertEquals(List.of(9_998L, 9_999L), seqs(history.after("e", -1, 0, ALL)));
    }

    @Test
    void aReplayIsTheNewestEventsAfterTheSeqUpToItsLimit() {
        ProgressHistory history = new ProgressHistory(100, 1_000);
        for (long seq = 0; seq < 50; seq++) {
            history.append(event("a", seq, 1_000), 0);
        }
        assertEquals(List.of(47L, 48L, 49L), seqs(history.after("a", -1, 0, 3)));
        assertEquals(List.of(47L, 48L, 49L), seqs(history.after("a", 10, 0, 3)));
        assertEquals(List.of(48L, 49L), seqs(history.after("a", 47, 0, 3)));
        assertEquals(List.of(), seqs(history.after("a", 49, 0, 3)));
        assertEquals(List.of(), seqs(history.after("a", -1, 0, 0)));
        assertEquals(50, history.events(), "a replay takes nothing out of the history");
    }
}
