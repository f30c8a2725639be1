package dev.edapatterns.importapp.aggregate;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.contracts.imports.ImportCommand;
import dev.edapatterns.eventkit.store.AtomicStore;
import dev.edapatterns.eventkit.store.Stores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The import aggregates: an event-kit {@link AtomicStore} over {@code import.aggregate.commands} ->
 * {@code import.aggregate.store}. Every import-app instance is a member of its writer group (the owner of an
 * import's partition applies its commands) and reads every import from the store topic.
 */
@Startup
@Singleton
public class ImportAggregates {

    private final Stores stores;
    private AtomicStore<String, ImportAggregate, ImportCommand> store;
    private RecentImports recent;

    private final MeterRegistry registry;

    ImportAggregates(Stores stores, MeterRegistry registry) {
        this.stores = stores;
        this.registry = registry;
    }

    @PostConstruct
    void start() {
        store = stores.atomic(AtomicStore.builder("import-aggregate", Topics.IMPORT_AGGREGATE_COMMANDS,
                Topics.IMPORT_AGGREGATE_STORE, new ImportAggregateReducer(Clock.systemUTC()), ImportCommand::commandId));
        recent = RecentImports.following(store.view());
        Counter completed = finished("completed");
        Counter failed = finished("failed");
        store.view().addListener((importId, old, now, loading) -> {
            ImportAggregate.Status was = old == null ? null : old.state().status();
            ImportAggregate.Status is = now == null ? null : now.state().status();
            if (!loading && is != was && is == ImportAggregate.Status.COMPLETED) {
                completed.increment();
            } else if (!loading && is != was && is == ImportAggregate.Status.FAILED) {
                failed.increment();
            }
        });
    }

    /** Seen in the store by this instance (every instance sees every import: aggregate with max, not sum). */
    private Counter finished(String status) {
        return Counter.builder("import.imports.finished").description("Imports that reached COMPLETED or FAILED")
                .tag("status", status).register(registry);
    }

    public Optional<ImportAggregate> get(String importId) {
        return store.get(importId);
    }

    /** The newest {@code limit} imports {@code starter} started, newest accepted first ({@link RecentImports}). */
    public List<ImportAggregate> recent(String starter, int limit) {
        return recent.newest(starter, limit);
    }

    public boolean exists(String importId) {
        return store.get(importId).isPresent();
    }

    /** True when the aggregate already counted this command (e.g. a job processed before). */
    public boolean applied(String importId, String commandId) {
        return store.getStored(importId).map(s -> s.hasApplied(commandId)).orElse(false);
    }

    /** Runs {@code action} once the import is visible in the store view (at once if it already is). */
    public void whenVisible(String importId, Runnable action) {
        store.view().whenVisible(importId, Objects::nonNull).thenRun(action);
    }
}
