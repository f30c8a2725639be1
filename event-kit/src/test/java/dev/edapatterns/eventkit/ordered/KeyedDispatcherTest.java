package dev.edapatterns.eventkit.ordered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Per-key queues without Kafka: order per key, concurrency across keys within the bound, retries holding the key. */
@Tag("unit")
class KeyedDispatcherTest {

    static final class Job extends KeyedDispatcher.Task<String> {
        final int seq;

        Job(String key, int seq) {
            super(key);
            this.seq = seq;
        }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void oneKeyRunsInOrderOneAtATimeAndKeysRunConcurrentlyWithinTheBound() throws Exception {
        int keys = 12;
        int perKey = 200;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> runningPerKey = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger overlapsOfOneKey = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(keys * perKey);
        KeyedDispatcher<String, Job> dispatcher = new KeyedDispatcher<>(3, pool, timer, job -> {
            if (runningPerKey.computeIfAbsent(job.key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                overlapsOfOneKey.incrementAndGet();
            }
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            seen.computeIfAbsent(job.key, k -> new ArrayList<>()).add(job.seq); // one writer per key at a time
            spin(20_000);
            running.decrementAndGet();
            runningPerKey.get(job.key).decrementAndGet();
            done.countDown();
            return KeyedDispatcher.Work.DONE;
        });
        for (int i = 0; i < perKey; i++) {
            for (int k = 0; k < keys; k++) {
                dispatcher.submit(new Job("key" + k, i));
            }
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(0, overlapsOfOneKey.get(), "one key's jobs never overlap");
        assertTrue(maxRunning.get() > 1, "keys ran concurrently: " + maxRunning.get());
        assertTrue(maxRunning.get() <= 3, "never more keys than the bound: " + maxRunning.get());
        List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
        seen.forEach((key, order) -> assertEquals(expected, order, key));
        awaitIdle(dispatcher);
        assertEquals(0, dispatcher.keys());
    }

    @Test
    void aRetriedJobHoldsOnlyItsKeyAndRunsBeforeTheKeysLaterJobs() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failuresLeft = new AtomicInteger(3);
        CountDownLatch done = new CountDownLatch(3);
        KeyedDispatcher<String, Job> dispatcher = new KeyedDispatcher<>(1, pool, timer, job -> {
            if (job.key.equals("a") && job.seq == 1 && failuresLeft.getAndDecrement() > 0) {
                log.add("fail a1");
                return 50; // try again in 50 ms; the only worker goes on with "b"
            }
            log.add(job.key + job.seq);
            done.countDown();
            return KeyedDispatcher.Work.DONE;
        });
        dispatcher.submit(new Job("a", 1));
        dispatcher.submit(new Job("a", 2));
        dispatcher.submit(new Job("b", 1));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals("b1", log.stream().filter(l -> !l.startsWith("fail")).findFirst().orElseThrow(),
                "b was not held by a's failures: " + log);
        List<String> ofA = log.stream().filter(l -> l.contains("a")).toList();
        assertEquals(List.of("fail a1", "fail a1", "fail a1", "a1", "a2"), ofA);
    }

    @Test
    void droppingLeavesRunningJobsAndRemovesQueuedOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KeyedDispatcher<String, Job> dispatcher = new KeyedDispatcher<>(2, pool, timer, job -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return KeyedDispatcher.Work.DONE;
        });
        Job running = new Job("a", 1);
        Job queued = new Job("a", 2);
        dispatcher.submit(running);
        dispatcher.submit(queued);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(queued), dispatcher.drop(j -> true));
        assertEquals(KeyedDispatcher.Task.RUNNING, running.state);
        assertEquals(KeyedDispatcher.Task.DROPPED, queued.state);
        release.countDown();
        awaitIdle(dispatcher);
        assertEquals(KeyedDispatcher.Task.DONE, running.state);
        assertEquals(0, dispatcher.keys());
    }

    private static void awaitIdle(KeyedDispatcher<?, ?> dispatcher) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dispatcher.activeKeys() > 0 && System.nanoTime() < deadline) {
            synchronized (dispatcher) {
                dispatcher.wait(100); // notified when the last worker leaves
            }
        }
        assertEquals(0, dispatcher.activeKeys());
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
