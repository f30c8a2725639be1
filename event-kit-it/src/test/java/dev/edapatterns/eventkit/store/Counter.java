package dev.edapatterns.eventkit.store;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.eventkit.TestTopics;

/**
 * Test aggregate: a per-key counter that also checks, per source, that commands arrive in the order they were
 * sent (a gap or a reorder counts as a violation).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Counter(long total, long count, Map<String, Long> lastSeqBySource, long orderViolations) {

    /** {@code seq} numbers the commands of one {@code source}, from 1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Add(String commandId, long amount, String source, long seq) {
    }

    /** Emitted once per applied command. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Applied(String commandId, String key, long countAfter) {
    }

    public static final class Topics {
        public final Topic<String, Add> commands;
        public final Topic<String, Counter> store;
        public final Topic<String, Applied> applied;

        public Topics(String prefix) {
            String base = TestTopics.unique(prefix);
            commands = Topic.builder(base + ".commands", Add.class).build();
            store = Topic.builder(base + ".store", Counter.class).compacted().atomicStoreState().build();
            applied = Topic.builder(base + ".applied", Applied.class).build();
            TestTopics.create(commands, store, applied);
        }
    }

    /** Rejects negative amounts; emits {@link Applied} for every command it applies. */
    public static Reducer<String, Counter, Add> reducer(Topic<String, Applied> applied) {
        return (key, state, cmd) -> {
            if (cmd.amount() < 0) {
                throw new IllegalArgumentException("negative amount");
            }
            Counter c = state == null ? new Counter(0, 0, Map.of(), 0) : state;
            Map<String, Long> seqs = new HashMap<>(c.lastSeqBySource());
            long expected = seqs.getOrDefault(cmd.source(), 0L) + 1;
            long violations = c.orderViolations() + (cmd.seq() == expected ? 0 : 1);
            seqs.put(cmd.source(), cmd.seq());
            Counter next = new Counter(c.total() + cmd.amount(), c.count() + 1, seqs, violations);
            return Outcome.of(next, new Emit<>(applied, key, new Applied(cmd.commandId(), key, next.count())));
        };
    }
}
