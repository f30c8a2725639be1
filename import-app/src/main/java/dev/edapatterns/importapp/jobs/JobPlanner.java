package dev.edapatterns.importapp.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.edapatterns.contracts.imports.ContactRow;

/**
 * Cuts accepted rows into jobs of at most {@code maxRows} rows and about {@code maxBytes} serialized bytes.
 * Deterministic: the validation pass counts the jobs, the publishing pass cuts the very same ones.
 */
final class JobPlanner {

    /** JSON field names, quotes and separators of one row. */
    private static final int ROW_OVERHEAD = 64;

    private final int maxRows;
    private final long maxBytes;
    private final Consumer<List<ContactRow>> onJob;
    private List<ContactRow> current = new ArrayList<>();
    private long currentBytes;
    private int jobs;

    JobPlanner(int maxRows, long maxBytes, Consumer<List<ContactRow>> onJob) {
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
        this.onJob = onJob;
    }

    void add(ContactRow row) {
        long bytes = size(row);
        if (!current.isEmpty() && (current.size() >= maxRows || currentBytes + bytes > maxBytes)) {
            flush();
        }
        current.add(row);
        currentBytes += bytes;
    }

    /** Emits the last partial job; returns the number of jobs. */
    int finish() {
        if (!current.isEmpty()) {
            flush();
        }
        return jobs;
    }

    private void flush() {
        onJob.accept(current);
        jobs++;
        current = new ArrayList<>();
        currentBytes = 0;
    }

    private static long size(ContactRow row) {
        return ROW_OVERHEAD + 20 + len(row.email()) + len(row.name()) + len(row.country()) + len(row.phone());
    }

    private static int len(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
