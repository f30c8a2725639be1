package dev.edapatterns.importapp.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportAggregate.Status;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.imports.ImportCommand.Type;
import dev.edapatterns.contracts.imports.RowError;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;

@Tag("unit")
class ImportAggregateReducerTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:15:30Z");
    private final ImportAggregateReducer reducer = new ImportAggregateReducer(Clock.fixed(NOW, ZoneOffset.UTC));

    private static ImportCommand accepted(int jobsTotal, long rowsRejected, List<RowError> errors) {
        return new ImportCommand("imp:accepted", "imp", "chan", Type.ACCEPTED, 0, jobsTotal, 0, rowsRejected, 0, null, errors);
    }

    private static ImportCommand finished(int jobIndex, long imported, long rejected, long warnings) {
        return new ImportCommand("imp:" + jobIndex, "imp", "chan", Type.JOB_FINISHED, jobIndex, 0, imported, rejected, warnings,
                null, null);
    }

    private static ImportCommand failed(String reason) {
        return new ImportCommand("imp:f", "imp", "chan", Type.JOB_FAILED, 0, 0, 0, 0, 0, reason, null);
    }

    private static List<ProgressType> progressTypes(Outcome<ImportAggregate> outcome) {
        return outcome.emits().stream().map(e -> ((ProgressEvent) e.value()).type()).toList();
    }

    @Test
    void acceptedStartsAPendingImportWithTheUploadsRejectedRowsAndEmitsNothing() {
        List<RowError> errors = List.of(new RowError(4, "invalid email"));
        Outcome<ImportAggregate> out = reducer.apply("imp", null, accepted(3, 1, errors));
        assertEquals(new ImportAggregate("imp", "chan", 3, 0, 0, 1, 0, Status.PENDING, null, errors), out.state());
        assertEquals(List.of(), out.emits());
    }

    @Test
    void theStarterAndTheAcceptTimeAreKeptThroughEveryCommand() {
        Instant at = NOW.minusSeconds(60);
        ImportCommand byImporter = new ImportCommand("imp:accepted", "imp", "chan", Type.ACCEPTED, -1, 2, 0, 0, 0, null,
                List.of(), "importer", null, at);
        ImportAggregate s = reducer.apply("imp", null, byImporter).state();
        assertEquals("importer", s.startedBy());
        assertEquals(at, s.acceptedAt());
        s = reducer.apply("imp", s, finished(0, 5, 0, 0)).state();
        assertEquals("importer", s.startedBy());
        assertEquals(at, s.acceptedAt());
        ImportAggregate failed = reducer.apply("imp", s, failed("poison")).state();
        assertEquals("importer", failed.startedBy());
        assertEquals(at, failed.acceptedAt());
    }

    @Test
    void anImportWithoutJobsIsCompletedAtOnceAndSaysSo() {
        Outcome<ImportAggregate> out = reducer.apply("imp", null, accepted(0, 2, null));
        assertEquals(Status.COMPLETED, out.state().status());
        assertEquals(List.of(), out.state().errors(), "no errors listed: an empty list, not null");
        Emit<?, ?> emit = out.emits().get(0);
        assertEquals(1, out.emits().size());
        assertEquals(Topics.PROGRESS, emit.topic());
        assertEquals("chan", emit.key());
        assertEquals(new ProgressEvent("chan", 0, "imp", ProgressType.COMPLETED, 0, 0, 0, 2, NOW), emit.value());
    }

    @Test
    void aSecondAcceptedChangesNothing() {
        ImportAggregate state = reducer.apply("imp", null, accepted(3, 0, null)).state();
        Outcome<ImportAggregate> again = reducer.apply("imp", state, accepted(5, 9, null));
        assertSame(state, again.state());
        assertEquals(List.of(), again.emits());
    }

    @Test
    void finishedJobsAddUpAndTheLastOneCompletesTheImportOnce() {
        ImportAggregate state = reducer.apply("imp", null, accepted(2, 1, null)).state();

        Outcome<ImportAggregate> first = reducer.apply("imp", state, finished(0, 10, 2, 1));
        assertEquals(new ImportAggregate("imp", "chan", 2, 1, 10, 3, 1, Status.RUNNING, null, List.of()), first.state());
        assertEquals(List.of(ProgressType.PROCESSED), progressTypes(first));
        assertEquals(new ProgressEvent("chan", 0, "imp", ProgressType.PROCESSED, 1, 2, 10, 3, NOW), first.emits().get(0).value());

        Outcome<ImportAggregate> last = reducer.apply("imp", first.state(), finished(1, 5, 0, 2));
        assertEquals(new ImportAggregate("imp", "chan", 2, 2, 15, 3, 3, Status.COMPLETED, null, List.of()), last.state());
        assertEquals(List.of(ProgressType.PROCESSED, ProgressType.COMPLETED), progressTypes(last));

        Outcome<ImportAggregate> late = reducer.apply("imp", last.state(), finished(1, 5, 0, 2));
        assertSame(last.state(), late.state(), "a completed import ignores a redelivered result");
        assertEquals(List.of(), late.emits());
    }

    @Test
    void aFailedJobFailsTheImportWithItsReasonAndLaterResultsAreIgnored() {
        ImportAggregate running = reducer.apply("imp", reducer.apply("imp", null, accepted(3, 0, null)).state(),
                finished(0, 7, 0, 0)).state();

        Outcome<ImportAggregate> out = reducer.apply("imp", running, failed("poison job"));
        assertEquals(new ImportAggregate("imp", "chan", 3, 1, 7, 0, 0, Status.FAILED, "poison job", List.of()), out.state());
        assertEquals(List.of(ProgressType.FAILED), progressTypes(out));

        for (ImportCommand later : List.of(finished(1, 1, 0, 0), failed("again"), accepted(3, 0, null))) {
            Outcome<ImportAggregate> ignored = reducer.apply("imp", out.state(), later);
            assertSame(out.state(), ignored.state(), later.type().name());
            assertTrue(ignored.emits().isEmpty(), later.type().name());
        }
    }

    @Test
    void aJobResultForAnUnknownImportIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> reducer.apply("imp", null, finished(0, 1, 0, 0)));
        assertTrue(e.getMessage().contains("unknown import imp"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> reducer.apply("imp", null, failed("x")));
    }
}
