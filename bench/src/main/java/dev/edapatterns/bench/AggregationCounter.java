package dev.edapatterns.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;
import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.store.Outcome;
import dev.edapatterns.eventkit.store.Reducer;

/**
 * The simple counter aggregate of benchmark P6 (b): per key, how many {@link Add} commands were applied and the sum
 * of their amounts. No emitted records: the benchmark measures the atomic store itself (dedupe, state write,
 * offsets, one transaction per polled batch), not a side effect.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AggregationCounter(long count, long total) {

    /** {@code commandId} = {@code <key>:<seq>}, unique per command (the store dedupes on it). */
    @SchemaVersion(1)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Add(String commandId, long amount) {
    }

    static final Reducer<String, AggregationCounter, Add> REDUCER = (key, state, add) -> Outcome.of(
            state == null ? new AggregationCounter(1, add.amount()) : new AggregationCounter(state.count() + 1, state.total() + add.amount()));

    static Topic<String, Add> commands(String name) {
        return Topic.builder(name, Add.class).transactional().build();
    }

    static Topic<String, AggregationCounter> store(String name) {
        return Topic.builder(name, AggregationCounter.class).compacted().transactional().atomicStoreState().build();
    }
}
