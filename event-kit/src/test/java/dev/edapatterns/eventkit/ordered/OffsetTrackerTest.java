package dev.edapatterns.eventkit.ordered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The commit point of one partition: never past a record that is not done, gaps in offsets allowed. */
@Tag("unit")
class OffsetTrackerTest {

    static final class At extends KeyedDispatcher.Task<String> implements OffsetTracker.Positioned {
        final long offset;

        At(long offset) {
            super("k" + offset);
            this.offset = offset;
        }

        @Override
        public long offset() {
            return offset;
        }
    }

    private final OffsetTracker<At> tracker = new OffsetTracker<>();

    @Test
    void theCommitPointMovesOnlyOverAContiguousRunOfDoneRecords() {
        At five = add(5);
        At six = add(6);
        At nine = add(9); // 7 and 8: a transaction marker, a compacted record
        assertEquals(3, tracker.advance());
        assertEquals(-1, tracker.uncommitted(), "nothing done yet");

        six.state = KeyedDispatcher.Task.DONE;
        nine.state = KeyedDispatcher.Task.DONE;
        assertEquals(3, tracker.advance(), "5 is not done: 6 and 9 wait behind it");
        assertEquals(-1, tracker.uncommitted());

        five.state = KeyedDispatcher.Task.DONE;
        assertEquals(0, tracker.advance());
        assertEquals(10, tracker.uncommitted(), "the offset after the last done record");
        tracker.committed(10);
        assertEquals(-1, tracker.uncommitted(), "committed already");
    }

    @Test
    void aDroppedRecordStopsTheCommitPointAndRunningOnesAreNotQuiet() {
        At one = add(1);
        At two = add(2);
        At three = add(3);
        one.state = KeyedDispatcher.Task.DONE;
        two.state = KeyedDispatcher.Task.DROPPED; // queued when its partition was revoked: not processed
        three.state = KeyedDispatcher.Task.RUNNING;
        assertFalse(tracker.quiet());
        assertEquals(2, tracker.advance());
        assertEquals(2, tracker.uncommitted(), "the next owner starts at the dropped record");
        three.state = KeyedDispatcher.Task.DONE;
        assertTrue(tracker.quiet());
        assertEquals(2, tracker.advance());
        assertEquals(2, tracker.uncommitted(), "never past the dropped record");
        assertEquals(two, tracker.oldestPending());
    }

    private At add(long offset) {
        At at = new At(offset);
        tracker.add(at);
        return at;
    }
}
