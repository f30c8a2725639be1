package dev.edapatterns.eventkit.ordered;

import java.util.ArrayDeque;

/**
 * The records of one partition that were polled and are not yet behind the commit point, in offset order. The commit
 * point only moves over a contiguous run of finished records from the oldest one: a finished record after an
 * unfinished one waits, so a crash redelivers it rather than losing the unfinished one. Offsets need not be
 * contiguous (transaction markers, compaction): the point is "the offset after the last finished record of the run".
 *
 * <p>Used by the poll thread only; tasks are marked finished by workers through their volatile state.
 */
final class OffsetTracker<T extends KeyedDispatcher.Task<?> & OffsetTracker.Positioned> {

    /** What the tracker needs of a task: its offset. */
    interface Positioned {
        long offset();
    }

    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private long commitPoint = -1;
    private long committed = -1;

    /** A record just polled (offsets of one partition arrive in increasing order). */
    void add(T task) {
        pending.addLast(task);
    }

    /**
     * Moves the commit point over the done records at the head (a dropped record, e.g. of a revoked partition, stops
     * it: it was not processed); returns the records still pending.
     */
    int advance() {
        T head;
        while ((head = pending.peekFirst()) != null && head.state == KeyedDispatcher.Task.DONE) {
            pending.pollFirst();
            commitPoint = head.offset() + 1;
        }
        return pending.size();
    }

    /** Records polled and not yet behind the commit point. */
    int pending() {
        return pending.size();
    }

    /** The offset to commit (the next one to read after a restart), or -1 when none moved since {@link #committed}. */
    long uncommitted() {
        return commitPoint > committed ? commitPoint : -1;
    }

    long commitPoint() {
        return commitPoint;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** True when no pending record runs now (each is done, dropped, or waiting). */
    boolean quiet() {
        for (T t : pending) {
            if (t.state == KeyedDispatcher.Task.RUNNING) {
                return false;
            }
        }
        return true;
    }

    /** The oldest record not finished yet, or null. */
    T oldestPending() {
        return pending.peekFirst();
    }
}
