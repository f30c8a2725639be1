package dev.edapatterns.importapp.aggregate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportAggregate.Status;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.contracts.progress.ProgressEvent;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * The import aggregate (seed pattern 6): counts finished jobs and announces {@code COMPLETED} exactly once, when
 * jobs done == total ({@code FAILED} on a fatal job error). Its progress events are written in the store's
 * transaction, so they exist exactly when the state change does. A finished import ignores later commands.
 */
public final class ImportAggregateReducer implements Reducer<String, ImportAggregate, ImportCommand> {

    private final Clock clock;

    public ImportAggregateReducer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Outcome<ImportAggregate> apply(String importId, ImportAggregate state, ImportCommand cmd) {
        if (state != null && (state.status() == Status.COMPLETED || state.status() == Status.FAILED)) {
            return Outcome.of(state);
        }
        return switch (cmd.type()) {
            case ACCEPTED -> accepted(importId, state, cmd);
            case JOB_FINISHED -> jobFinished(requireKnown(importId, state), cmd);
            case JOB_FAILED -> failed(requireKnown(importId, state), cmd.reason());
        };
    }

    private Outcome<ImportAggregate> accepted(String importId, ImportAggregate state, ImportCommand cmd) {
        if (state != null) {
            return Outcome.of(state);
        }
        List<dev.edapatterns.contracts.imports.RowError> errors = cmd.errors() == null ? List.of() : cmd.errors();
        ImportAggregate next = new ImportAggregate(importId, cmd.channelId(), cmd.jobsTotal(), 0, 0, cmd.rowsRejected(), 0,
                cmd.jobsTotal() == 0 ? Status.COMPLETED : Status.PENDING, null, errors, cmd.startedBy(), cmd.uploadFingerprint(),
                cmd.acceptedAt());
        return next.status() == Status.COMPLETED ? Outcome.of(next, progress(next, ProgressType.COMPLETED)) : Outcome.of(next);
    }

    private Outcome<ImportAggregate> jobFinished(ImportAggregate s, ImportCommand cmd) {
        int done = s.jobsDone() + 1;
        Status status = done >= s.jobsTotal() ? Status.COMPLETED : Status.RUNNING;
        List<dev.edapatterns.contracts.imports.RowError> errors = s.errors();
        ImportAggregate next = new ImportAggregate(s.importId(), s.channelId(), s.jobsTotal(), done,
                s.rowsImported() + cmd.rowsImported(), s.rowsRejected() + cmd.rowsRejected(), s.warnings() + cmd.warnings(),
                status, null, errors, s.startedBy(), s.uploadFingerprint(), s.acceptedAt());
        List<Emit<?, ?>> emits = new ArrayList<>();
        emits.add(progress(next, ProgressType.PROCESSED));
        if (status == Status.COMPLETED) {
            emits.add(progress(next, ProgressType.COMPLETED));
        }
        return new Outcome<>(next, emits);
    }

    private Outcome<ImportAggregate> failed(ImportAggregate s, String reason) {
        ImportAggregate next = new ImportAggregate(s.importId(), s.channelId(), s.jobsTotal(), s.jobsDone(), s.rowsImported(),
                s.rowsRejected(), s.warnings(), Status.FAILED, reason, s.errors(), s.startedBy(), s.uploadFingerprint(),
                s.acceptedAt());
        return Outcome.of(next, progress(next, ProgressType.FAILED));
    }

    private Emit<String, ProgressEvent> progress(ImportAggregate s, ProgressType type) {
        return new Emit<>(Topics.PROGRESS, s.channelId(), new ProgressEvent(s.channelId(), 0, s.importId(), type, s.jobsDone(),
                s.jobsTotal(), s.rowsImported(), s.rowsRejected(), clock.instant()));
    }

    private static ImportAggregate requireKnown(String importId, ImportAggregate state) {
        if (state == null) { // ACCEPTED travels in the jobs' transaction, ahead of them on this partition
            throw new IllegalStateException("job result for unknown import " + importId);
        }
        return state;
    }
}
