package dev.edapatterns.billing.ledger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;

/**
 * Fault injection for the ledger's posting step: while a user is listed, posting to that user's account fails as a
 * remote general ledger would while the account is locked (say, by a month-end close) — a transient error, released
 * later. Only in memory on purpose: it simulates someone else's outage, it is not state of this app. Enabled by
 * {@code billing.ledger.fault-injection.enabled}.
 */
@Singleton
public class PostingOutages {

    /** The posting dependency refused the entry; worth retrying later. */
    public static class PostingUnavailable extends RuntimeException {
        PostingUnavailable(String userId) {
            super("posting unavailable: the general ledger refuses postings to account " + userId + " (outage)");
        }
    }

    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final boolean enabled;

    PostingOutages(BillingConfig config) {
        this.enabled = config.ledger().faultInjection().enabled();
        if (enabled) {
            config.ledger().faultInjection().failingUsers().ifPresent(failing::addAll);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public void fail(String userId) {
        failing.add(userId);
    }

    public boolean release(String userId) {
        return failing.remove(userId);
    }

    public Set<String> failing() {
        return Set.copyOf(failing);
    }

    /** Throws while the user's postings fail. */
    void check(String userId) {
        if (failing.contains(userId)) {
            throw new PostingUnavailable(userId);
        }
    }
}
