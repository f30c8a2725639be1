package dev.edapatterns.order.views;

import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;

/** Answers shared by the views' resources. */
public final class Views {

    private Views() {
    }

    /** Before its replay is done an absent entry may just not be read yet: no answer beats a wrong 404. */
    public static void requireLoaded(CompactedStore<?, ?> store, String what) {
        if (!store.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "The " + what + " view is still loading; retry shortly.");
        }
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }
}
