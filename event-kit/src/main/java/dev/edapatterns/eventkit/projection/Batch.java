package dev.edapatterns.eventkit.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One polled batch as the projection commits it: the rows the handler read, the records it could not read (for the
 * dead-letter topic), the offset to resume from per partition and the newest record timestamp. Pure: no broker, no
 * database.
 */
record Batch<R>(List<R> rows, List<Unreadable> unreadable, Map<TopicPartition, Long> nextOffsets,
        Map<TopicPartition, Long> firstOffsets, Instant lastRecordAt) {

    /** A record set aside, with why. */
    public record Unreadable(ConsumerRecord<String, byte[]> record, UnreadableRecord cause) {
    }

    public Batch {
        rows = List.copyOf(rows);
        unreadable = List.copyOf(unreadable);
        nextOffsets = Map.copyOf(nextOffsets);
        firstOffsets = Map.copyOf(firstOffsets);
    }

    /**
     * As {@link #of(Iterable, ProjectionHandler)}, resuming each partition of {@code positions} at least there: the
     * consumer's position moves past transaction markers without returning a record, and a partition whose stored
     * offset stopped before a marker would otherwise never look caught up.
     */
    public static <R> Batch<R> of(Iterable<ConsumerRecord<String, byte[]>> records, ProjectionHandler<R> handler,
            Map<TopicPartition, Long> positions) {
        return of(records, handler).movedTo(positions);
    }

    /**
     * This batch resuming each partition of {@code positions} at least there (see
     * {@link #of(Iterable, ProjectionHandler, Map)}): separate from reading the records, so that they can be read
     * before the positions that count are known.
     */
    public Batch<R> movedTo(Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return this;
        }
        Map<TopicPartition, Long> next = new LinkedHashMap<>(nextOffsets);
        positions.forEach((tp, position) -> next.merge(tp, position, Math::max));
        return new Batch<>(rows, unreadable, next, firstOffsets, lastRecordAt);
    }

    /** Reads {@code records} (in poll order, i.e. offset order per partition) through {@code handler}. */
    public static <R> Batch<R> of(Iterable<ConsumerRecord<String, byte[]>> records, ProjectionHandler<R> handler) {
        List<R> rows = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        long newest = Long.MIN_VALUE;
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.merge(tp, r.offset() + 1, Math::max);
            newest = Math.max(newest, r.timestamp());
            try {
                R row = handler.read(r);
                if (row != null) {
                    rows.add(row);
                }
            } catch (UnreadableRecord e) {
                unreadable.add(new Unreadable(r, e));
            }
        }
        return new Batch<>(rows, unreadable, next, first, newest == Long.MIN_VALUE ? null : Instant.ofEpochMilli(newest));
    }

    /**
     * Whether the stored offsets (locked in this transaction) are still the ones this consumer resumed from for every
     * partition of the batch ({@code null}: none stored yet). If another consumer moved a partition on, this consumer
     * lost it in a rebalance it has not heard of yet, and must not apply the batch.
     */
    public boolean resumesFrom(Map<TopicPartition, Long> expected, Map<TopicPartition, Long> stored) {
        for (TopicPartition tp : nextOffsets.keySet()) {
            if (!java.util.Objects.equals(expected.get(tp), stored.get(tp))) {
                return false;
            }
        }
        return true;
    }

    /** Offsets of {@code tp} this batch moves over from its first record (0: no record of it). */
    public long span(TopicPartition tp) {
        Long first = firstOffsets.get(tp);
        return first == null ? 0 : nextOffsets.get(tp) - first;
    }

    public boolean isEmpty() {
        return nextOffsets.isEmpty();
    }

    /** Records consumed (rows, unreadable ones and those the handler passed over). */
    public int size() {
        return rows.size() + unreadable.size();
    }
}
