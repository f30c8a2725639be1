package dev.edapatterns.contracts.store;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The value an event-kit {@code AtomicStore} writes to its compacted store topic: the state of one key, its
 * version (one step per applied command) and the ids of the commands applied so far, so a redelivered command
 * is recognised by whichever process owns the key next. The ids are kept compact ({@link AppliedIds}): ids ending
 * in a number are stored as number ranges per prefix in {@code appliedRanges}, the rest in {@code appliedCommandIds}
 * (where states written before version 2 keep every id; they are read the same way).
 */
@SchemaVersion(2)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredState<S>(long version, S state, List<String> appliedCommandIds,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> appliedRanges) {

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
