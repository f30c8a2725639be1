package dev.edapatterns.contracts.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The value an event-kit {@code AtomicStore} writes to its compacted store topic: the state of one key, its
 * version (one step per applied command) and the ids of the commands applied so far, so a redelivered command
 * is recognised by whichever process owns the key next.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredState<S>(long version, S state, List<String> appliedCommandIds) {
}
