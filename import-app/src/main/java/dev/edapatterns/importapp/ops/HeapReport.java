package dev.edapatterns.importapp.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.ops.OpsEndpoint;
import io.quarkus.runtime.Startup;

/**
 * {@code GET /ops/heap} (management port): heap figures seen from inside the process; the import benchmark reports
 * the peak. The peak is the largest used heap sampled every 50 ms (summing the pools' own peaks would overstate it:
 * they peak at different moments).
 */
@Singleton
@Startup
public class HeapReport implements OpsEndpoint {

    /** Bytes. */
    public record Heap(long used, long peak, long max) {
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
        return new Heap(heap.getUsed(), Math.max(peak.get(), heap.getUsed()), heap.getMax());
    }

    @PreDestroy
    void stop() {
        sampler.shutdownNow();
    }
}
