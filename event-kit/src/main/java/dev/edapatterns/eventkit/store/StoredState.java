package dev.edapatterns.eventkit.store;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.SchemaVersion;
import dev.edapatterns.contracts.Topic;

/**
 * The value an {@link AtomicStore} writes to its compacted store topic: the state of one key, its
 * version (one step per applied command) and the ids of the commands applied so far, so a redelivered command
 * is recognised by whichever process owns the key next. The ids are kept compact ({@link AppliedIds}): ids ending
 * in a number are stored as number ranges per prefix in {@code appliedRanges}, the rest in {@code appliedCommandIds}
 * (where states written before version 2 keep every id; they are read the same way).
 *
 * <p>The catalog declares a store topic with its state type only ({@link Topic#atomicStoreState()}): this envelope is
 * the store's own bookkeeping, not something apps exchange. {@link #topic} is the same topic with the values as they
 * are on the wire.
 */
@SchemaVersion(2)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredState<S>(long version, S state, List<String> appliedCommandIds,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> appliedRanges) {

    /** The records of the store topic {@code stateTopic} as they are: this envelope around its state type. */
    public static <K, S> Topic<K, StoredState<S>> topic(Topic<K, S> stateTopic) {
        if (!stateTopic.atomicStoreState()) {
            throw new IllegalArgumentException(stateTopic.name() + " is not declared as the store topic of an atomic store");
        }
        return new Topic<>(stateTopic.name(), stateTopic.keyType(),
                Json.mapper().getTypeFactory().constructParametricType(StoredState.class, stateTopic.valueType()),
                stateTopic.partitions(), stateTopic.cleanupPolicy(), stateTopic.retention(), stateTopic.owner(),
                stateTopic.transactional(), stateTopic.description(), false);
    }

    public static <S> StoredState<S> of(long version, S state, AppliedIds applied) {
        return new StoredState<>(version, state, applied.others(), applied.encodedRanges());
    }

    /** The applied command ids, decoded (a fresh, mutable copy). */
    @JsonIgnore
    public AppliedIds applied() {
        return AppliedIds.of(appliedCommandIds, appliedRanges);
    }

    /** Whether the command {@code commandId} was applied to this state. */
    @JsonIgnore
    public boolean hasApplied(String commandId) {
        return applied().contains(commandId);
    }
}
