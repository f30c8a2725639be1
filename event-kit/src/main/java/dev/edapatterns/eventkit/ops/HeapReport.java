package dev.edapatterns.eventkit.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

/**
 * {@code GET /ops/heap} (management port): heap figures seen from inside the process. The import benchmark reports the
 * peak: the largest used heap sampled every 50 ms (summing the pools' own peaks would overstate it: they peak at
 * different moments). {@code afterLastGc} is what the last collection of each heap pool left live: after a full GC it
 * is the live set, which is how the hostile-input tests show that a refused request left nothing behind.
 */
@Singleton
@Startup
public class HeapReport implements OpsEndpoint {

    /** Bytes. */
    public record Heap(long used, long peak, long max, long afterLastGc) {
    }

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peak = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-sampler");
        t.setDaemon(true);
        return t;
    });

    HeapReport() {
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
                0, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "heap";
    }

    @Override
    public Heap report() {
        var heap = memory.getHeapMemoryUsage();
        long afterLastGc = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getCollectionUsage)
                .filter(java.util.Objects::nonNull).mapToLong(MemoryUsage::getUsed).sum();
        return new Heap(heap.getUsed(), Math.max(peak.get(), heap.getUsed()), heap.getMax(), afterLastGc);
    }

    @PreDestroy
    void stop() {
        sampler.shutdownNow();
    }
}
