package dev.edapatterns.eventkit.store;

import java.util.List;

/** A reducer's result: the new state (never null) and the records to emit with it, atomically. */
public record Outcome<S>(S state, List<Emit<?, ?>> emits) {

    public Outcome {
        if (state == null) {
            throw new IllegalArgumentException("a reducer must return a state");
        }
        emits = List.copyOf(emits);
    }

    public static <S> Outcome<S> of(S state, Emit<?, ?>... emits) {
        return new Outcome<>(state, List.of(emits));
    }
}
