package dev.edapatterns.eventkit.ordered;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs tasks one key at a time in the order they were submitted, different keys concurrently, at most
 * {@code maxActiveKeys} keys at once. No Kafka here: the processor feeds it records, the tests feed it anything.
 *
 * <p>A key's tasks wait in an intrusive FIFO (no per-key collection). A worker that finishes a task takes the next
 * one of the same key when no other key waits for a worker, else the oldest waiting key: one executor hand-off per
 * burst of work, not per task. A task whose work asks for a retry stays at its key's head and the key sleeps on a
 * timer, so the worker goes on with other keys (a failing key holds no thread).
 *
 * <p>One monitor guards all state; it is held for a few field updates per task, never while work runs.
 */
final class KeyedDispatcher<K, T extends KeyedDispatcher.Task<K>> {

    /** The work, as the dispatcher sees it: done, or "try again in this many milliseconds". */
    @FunctionalInterface
    interface Work<T> {
        /** @return {@link #DONE}, or the delay in ms before this same task runs again (its key waits meanwhile) */
        long run(T task);

        long DONE = -1;
    }

    /** One unit of work for one key; subclasses carry the payload. */
    abstract static class Task<K> {
        static final int QUEUED = 0;
        static final int RUNNING = 1;
        static final int DONE = 2;
        static final int DROPPED = 3;

        final K key;
        /** Written under the dispatcher's monitor, read by anyone (e.g. the poll thread checking a partition's tasks). */
        volatile int state = QUEUED;
        Task<K> next; // the key queue's link, guarded by the dispatcher

        Task(K key) {
            this.key = key;
        }

        /**
         * Asked under the dispatcher's monitor when this task's work wants a retry: true runs it again at once instead
         * of after the delay (an operator's command arrived while it ran).
         */
        boolean runAgainNow() {
            return false;
        }

        /** Called by the worker once the dispatcher has recorded the run's outcome (done, or sleeping again). */
        void settled() {
        }
    }

    private final class KeyQueue {
        final K key;
        T head;
        T tail;
        /** A worker runs this key now (or is about to). */
        boolean running;
        /** Waiting for its retry timer. */
        boolean sleeping;
        long wakeAtMillis;

        KeyQueue(K key) {
            this.key = key;
        }

        void append(T task) {
            if (tail == null) {
                head = task;
            } else {
                tail.next = task;
            }
            tail = task;
        }

        @SuppressWarnings("unchecked")
        void removeHead() {
            T h = head;
            head = (T) h.next;
            h.next = null;
            if (head == null) {
                tail = null;
            }
        }
    }

    private final Map<K, KeyQueue> queues = new HashMap<>();
    /** Keys with work and no worker, oldest first. */
    private final ArrayDeque<KeyQueue> waiting = new ArrayDeque<>();
    private final int maxActiveKeys;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Work<T> work;
    private int active;
    private boolean closed;

    KeyedDispatcher(int maxActiveKeys, Executor executor, ScheduledExecutorService timer, Work<T> work) {
        if (maxActiveKeys < 1) {
            throw new IllegalArgumentException("maxActiveKeys must be >= 1: " + maxActiveKeys);
        }
        this.maxActiveKeys = maxActiveKeys;
        this.executor = executor;
        this.timer = timer;
        this.work = work;
    }

    /** Queues {@code task} behind its key's earlier tasks; starts a worker when a slot is free. */
    void submit(T task) {
        KeyQueue start = null;
        synchronized (this) {
            if (closed) {
                task.state = Task.DROPPED;
                return;
            }
            KeyQueue q = queues.get(task.key);
            if (q != null) {
                q.append(task); // running, sleeping or already waiting: it will get there
                return;
            }
            q = new KeyQueue(task.key);
            q.append(task);
            queues.put(task.key, q);
            start = workerOrWait(q);
        }
        start(start);
    }

    /** Under the monitor: {@code q} gets a worker (returned, to {@link #start} outside the monitor) or waits for one. */
    private KeyQueue workerOrWait(KeyQueue q) {
        if (active < maxActiveKeys) {
            active++;
            q.running = true;
            return q;
        }
        waiting.addLast(q);
        return null;
    }

    private void start(KeyQueue q) {
        if (q != null) {
            executor.execute(() -> drain(q));
        }
    }

    /** A worker: runs keys until none waits. */
    private void drain(KeyQueue q) {
        while (q != null) {
            T task;
            synchronized (this) {
                task = q.head;
                task.state = Task.RUNNING;
            }
            long retryIn;
            try {
                retryIn = work.run(task);
            } catch (Throwable t) {
                retryIn = Work.DONE; // the work reports its own failures; an escaped error must not kill the key
            }
            q = afterRun(q, task, retryIn);
            task.settled();
        }
    }

    /** Under the monitor: the next key this worker runs, or null (the worker leaves). */
    private synchronized KeyQueue afterRun(KeyQueue q, T task, long retryIn) {
        q.running = false;
        if (retryIn > 0 && task.runAgainNow()) {
            retryIn = 0;
        }
        if (retryIn >= 0 && !closed) {
            task.state = Task.QUEUED;
            q.sleeping = true;
            q.wakeAtMillis = System.currentTimeMillis() + retryIn;
            timer.schedule(() -> wake(q), retryIn, TimeUnit.MILLISECONDS);
        } else {
            task.state = retryIn >= 0 ? Task.DROPPED : Task.DONE; // closed while it wanted a retry: not done
            q.removeHead();
            if (q.head != null) {
                if (waiting.isEmpty()) {
                    q.running = true;
                    return q; // same key, same thread: no hand-off while nobody else waits
                }
                waiting.addLast(q);
            } else {
                queues.remove(q.key);
            }
        }
        KeyQueue next = waiting.pollFirst();
        if (next == null) {
            active--;
            notifyAll(); // awaitIdle
            return null;
        }
        next.running = true;
        return next;
    }

    private void wake(KeyQueue q) {
        KeyQueue start = null;
        synchronized (this) {
            if (!q.sleeping || queues.get(q.key) != q) {
                return; // dropped meanwhile
            }
            q.sleeping = false;
            start = workerOrWait(q);
        }
        start(start);
    }

    /**
     * Drops every queued (not running) task matching {@code which}, e.g. the records of a revoked partition; a
     * running task is left to finish. Returns the dropped tasks (state {@link Task#DROPPED}).
     */
    synchronized List<T> drop(Predicate<? super T> which) {
        List<T> dropped = new ArrayList<>();
        for (Iterator<KeyQueue> it = queues.values().iterator(); it.hasNext();) {
            KeyQueue q = it.next();
            KeyQueue kept = new KeyQueue(q.key);
            for (T t = q.head; t != null;) {
                @SuppressWarnings("unchecked")
                T next = (T) t.next;
                t.next = null;
                if (t.state != Task.RUNNING && which.test(t)) {
                    t.state = Task.DROPPED;
                    dropped.add(t);
                } else {
                    kept.append(t);
                }
                t = next;
            }
            q.head = kept.head;
            q.tail = kept.tail;
            if (q.head == null && !q.running) {
                it.remove(); // a sleeping key's timer finds it gone
                q.sleeping = false;
                waiting.remove(q);
            }
        }
        return dropped;
    }

    /** Stops taking tasks and drops every queued one; running tasks finish. */
    synchronized List<T> close() {
        closed = true;
        return drop(t -> true);
    }

    /** Keys with tasks now (running, waiting for a worker or sleeping before a retry). */
    synchronized int keys() {
        return queues.size();
    }

    /** Workers busy now. */
    synchronized int activeKeys() {
        return active;
    }

    /**
     * Passes over a sleeping key's head without running it again (an operator's "skip"): it counts as done and the
     * key goes on with its next task. False if the key does not sleep or its head does not match.
     */
    boolean skipHead(K key, Predicate<? super T> head) {
        KeyQueue start;
        synchronized (this) {
            KeyQueue q = queues.get(key);
            if (q == null || !q.sleeping || !head.test(q.head)) {
                return false;
            }
            q.sleeping = false; // its timer finds it awake and does nothing
            q.head.state = Task.DONE;
            q.removeHead();
            if (q.head == null) {
                queues.remove(key);
                return true;
            }
            start = workerOrWait(q);
        }
        start(start);
        return true;
    }

    /** Wakes a sleeping key's head at once (an operator's "retry now"); false if the key does not sleep. */
    boolean wakeNow(K key) {
        KeyQueue q;
        synchronized (this) {
            q = queues.get(key);
            if (q == null || !q.sleeping) {
                return false;
            }
        }
        wake(q);
        return true;
    }

    /**
     * An operator's command on a key's head: under the monitor, if the head satisfies {@code ifHead} (which may attach
     * the command to it), a sleeping head is woken at once and a running one runs again at once if its work asks for
     * a retry ({@link Task#runAgainNow}). False when the key has no such head.
     */
    boolean wakeNow(K key, Predicate<? super T> ifHead) {
        KeyQueue start;
        synchronized (this) {
            KeyQueue q = queues.get(key);
            if (q == null || q.head == null || !ifHead.test(q.head)) {
                return false;
            }
            if (!q.sleeping) {
                return true; // running or waiting for a worker: it runs (again) soon and sees the command
            }
            q.sleeping = false;
            start = workerOrWait(q);
        }
        start(start);
        return true;
    }

    /** Every key's oldest task (running, waiting for a worker or sleeping). */
    synchronized Map<K, T> heads() {
        Map<K, T> out = new HashMap<>();
        queues.values().forEach(q -> out.put(q.key, q.head));
        return out;
    }
}
