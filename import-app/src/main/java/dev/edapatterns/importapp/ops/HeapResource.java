package dev.edapatterns.importapp.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /ops/heap}: heap figures seen from inside the process (the import benchmark reports the peak). */
@Path("/ops/heap")
@Produces(MediaType.APPLICATION_JSON)
public class HeapResource {

    /** Bytes; {@code peak} sums each heap pool's peak since start (an upper bound of the true peak). */
    public record Heap(long used, long peak, long max) {
    }

    @GET
    public Heap heap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Heap(heap.getUsed(), peak, heap.getMax());
    }
}
