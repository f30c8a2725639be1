package dev.edapatterns.eventkit.store;

/**
 * The pure heart of an {@link AtomicStore}: the next state of one key from its current state and one command.
 * Called one command after another per key, on the partition owner only; it must not do I/O. Side effects are
 * returned as {@link Emit}s and written in the same transaction as the state. Throwing rejects the command
 * (counted, logged, state unchanged).
 */
@FunctionalInterface
public interface Reducer<K, S, C> {

    /** @param state the current state, null for a key never seen */
    Outcome<S> apply(K key, S state, C command);
}
