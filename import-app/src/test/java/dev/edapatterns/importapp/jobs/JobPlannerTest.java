package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.imports.ContactRow;

@Tag("unit")
class JobPlannerTest {

    /** Planned size of a row with a 6-byte email and nothing else: 64 overhead + 20 + 6. */
    private static final long SMALL_ROW = 90;

    private final List<List<ContactRow>> jobs = new ArrayList<>();

    private static ContactRow row(long line) {
        return new ContactRow(line, "a@b.co", null, null, null);
    }

    private static List<List<Long>> lines(List<List<ContactRow>> jobs) {
        return jobs.stream().map(job -> job.stream().map(ContactRow::line).toList()).toList();
    }

    private int plan(int maxRows, long maxBytes, List<ContactRow> rows) {
        JobPlanner planner = new JobPlanner(maxRows, maxBytes, jobs::add);
        rows.forEach(planner::add);
        return planner.finish();
    }

    @Test
    void cutsAtMaxRowsKeepingTheOrderAndEmitsTheLastPartialJob() {
        List<ContactRow> rows = LongStream.rangeClosed(1, 5).mapToObj(JobPlannerTest::row).toList();
        assertEquals(3, plan(2, Long.MAX_VALUE, rows));
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L)), lines(jobs));
    }

    @Test
    void cutsBeforeARowThatWouldTakeTheJobOverMaxBytes() {
        List<ContactRow> rows = LongStream.rangeClosed(1, 5).mapToObj(JobPlannerTest::row).toList();
        assertEquals(3, plan(100, 2 * SMALL_ROW, rows), "two rows fit exactly");
        assertEquals(List.of(List.of(1L, 2L), List.of(3L, 4L), List.of(5L)), lines(jobs));

        jobs.clear();
        assertEquals(5, plan(100, 2 * SMALL_ROW - 1, rows), "one byte less: one row per job");
    }

    @Test
    void aRowLargerThanMaxBytesStillGetsAJobOfItsOwn() {
        List<ContactRow> rows = List.of(row(1), new ContactRow(2, "big@b.co", "x".repeat(1000), "FR", "+33"), row(3));
        assertEquals(3, plan(100, 2 * SMALL_ROW, rows));
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L)), lines(jobs), "no empty job, no row dropped");
    }

    @Test
    void sizesCountUtf8BytesOfEveryField() {
        // 45 two-byte characters: 90 bytes (counted as 45 characters, both rows would fit in 225 bytes)
        ContactRow wide = new ContactRow(1, "a@b.co", "é".repeat(45), null, null);
        assertEquals(2, plan(100, 2 * SMALL_ROW + 45, List.of(wide, row(2))));

        jobs.clear();
        ContactRow fields = new ContactRow(1, "a@b.co", "n", "FR", "123"); // 6 more bytes than a small row
        assertEquals(1, plan(100, 2 * SMALL_ROW + 6, List.of(fields, row(2))));
        jobs.clear();
        assertEquals(2, plan(100, 2 * SMALL_ROW + 5, List.of(fields, row(2))));
    }

    @Test
    void noRowsNoJobs() {
        assertEquals(0, plan(10, 1_000, List.of()));
        assertEquals(List.of(), jobs);
    }

    @Test
    void theSameRowsAreCutTheSameWayEveryPass() {
        List<ContactRow> rows = LongStream.rangeClosed(1, 50)
                .mapToObj(i -> new ContactRow(i, "user" + i + "@example.com", "Name " + "x".repeat((int) (i % 7) * 10), "FR", null))
                .toList();
        int first = plan(7, 1_000, rows);
        List<List<Long>> firstCut = lines(jobs);
        jobs.clear();
        assertEquals(first, plan(7, 1_000, rows));
        assertEquals(firstCut, lines(jobs));
        assertEquals(first, firstCut.size());
    }
}
