package dev.edapatterns.eventkit.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BatchTest {

    /** Reads the value as text; "bad" is unreadable, a tombstone becomes "-key". */
    static final ProjectionHandler<String> TEXT = new ProjectionHandler<>() {
        @Override
        public String read(ConsumerRecord<String, byte[]> r) throws UnreadableRecord {
            if (r.value() == null) {
                return "-" + r.key();
            }
            String v = new String(r.value(), StandardCharsets.UTF_8);
            if (v.equals("bad")) {
                throw new UnreadableRecord("not a row: " + v, new IllegalArgumentException("bad"));
            }
            return v.equals("skip") ? null : v;
        }

        @Override
        public void apply(Connection connection, List<String> rows) {
            throw new UnsupportedOperationException();
        }
    };

    static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, long timestamp, String key,
            String value) {
        return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME, -1, -1, key,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    }

    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    @Test
    void rowsUnreadableRecordsAndOffsetsPerPartition() {
        Batch<String> batch = Batch.of(List.of(
                record("a", 0, 10, 1_000, "k1", "x"),
                record("a", 0, 12, 3_000, "k2", "bad"),   // 11 was a transaction marker
                record("a", 1, 5, 2_000, "k3", null),
                record("b", 0, 0, 500, "k4", "skip"),
                record("a", 0, 13, 1_500, "k1", "y")), TEXT);

        assertEquals(List.of("x", "-k3", "y"), batch.rows());
        assertEquals(1, batch.unreadable().size());
        assertEquals(12, batch.unreadable().get(0).record().offset());
        assertEquals(Map.of(A0, 14L, A1, 6L, B0, 1L), batch.nextOffsets());
        assertEquals(Map.of(A0, 10L, A1, 5L, B0, 0L), batch.firstOffsets());
        assertEquals(Instant.ofEpochMilli(3_000), batch.lastRecordAt());
        assertEquals(4, batch.size());
        assertFalse(batch.isEmpty());
    }

    @Test
    void aPositionPastTheLastRecordMovesTheOffsetOnWithoutARow() {
        // a transaction marker at 11 (position 12) and a partition with nothing returned but a marker passed
        Batch<String> batch = Batch.of(List.of(record("a", 0, 10, 1, "k", "x")), TEXT, Map.of(A0, 12L, A1, 7L));
        assertEquals(Map.of(A0, 12L, A1, 7L), batch.nextOffsets());
        assertEquals(Map.of(A0, 10L), batch.firstOffsets());
        assertEquals(List.of("x"), batch.rows());
        assertFalse(Batch.of(List.of(), TEXT, Map.of(A1, 7L)).isEmpty());
    }

    @Test
    void positionsKnownOnlyAfterReadingMoveTheSameOffsets() {
        // the projection reads a poll while the previous batch commits, and adds the positions once that settled
        Batch<String> read = Batch.of(List.of(record("a", 0, 10, 1, "k", "x"), record("a", 0, 14, 1, "k", "y")), TEXT);
        Batch<String> moved = read.movedTo(Map.of(A0, 16L, A1, 7L));
        assertEquals(Map.of(A0, 16L, A1, 7L), moved.nextOffsets());
        assertEquals(read.rows(), moved.rows());
        assertEquals(Map.of(A0, 15L), read.nextOffsets());
        // offsets a partition's records span (what is in flight until the transaction commits)
        assertEquals(5, read.span(A0));
        assertEquals(6, moved.span(A0));
        assertEquals(0, moved.span(A1));
    }

    @Test
    void anEmptyPollIsAnEmptyBatch() {
        Batch<String> batch = Batch.of(List.of(), TEXT);
        assertTrue(batch.isEmpty());
        assertNull(batch.lastRecordAt());
        assertEquals(List.of(), batch.rows());
    }

    @Test
    void appliesOnlyWhenTheStoredOffsetsAreTheOnesThisConsumerResumedFrom() {
        Batch<String> batch = Batch.of(List.of(record("a", 0, 10, 1, "k", "x"), record("a", 1, 0, 1, "k", "x")), TEXT);
        Map<TopicPartition, Long> expected = new HashMap<>();
        expected.put(A0, 10L);
        expected.put(A1, null); // nothing stored yet: started from the beginning
        assertTrue(batch.resumesFrom(expected, Map.of(A0, 10L)));
        // another consumer committed partition 1 meanwhile, or moved partition 0 on
        assertFalse(batch.resumesFrom(expected, Map.of(A0, 10L, A1, 4L)));
        assertFalse(batch.resumesFrom(expected, Map.of(A0, 30L)));
        // a partition not in the batch does not matter
        assertTrue(batch.resumesFrom(expected, Map.of(A0, 10L, B0, 99L)));
    }
}
