package dev.edapatterns.billing.renewals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * Where a renewal finds the card it charges: the user's subscription in this instance's store, read when the charge
 * happens. Renewal commands carry no card token, so the token stays in {@code billing.subscriptions} alone, and a card
 * replaced between schedule and charge is the one charged.
 */
@Singleton
class CardOnFile {

    private final CompactedStore<String, Subscription> subscriptions;
    private final Duration timeout;

    CardOnFile(CompactedStore<String, Subscription> subscriptions, BillingConfig config) {
        this.subscriptions = subscriptions;
        this.timeout = config.renewals().dedupe().timeout();
    }

    /**
     * The user's subscription, with its card token.
     *
     * @throws NoCardOnFileException there is none, even after catching up with the topic (permanent)
     * @throws IllegalStateException the store is still loading or did not catch up in time (transient: retried)
     */
    Subscription subscription(String userId) {
        if (!subscriptions.awaitLoaded(timeout)) {
            throw new IllegalStateException("the subscriptions are still loading");
        }
        Optional<Subscription> found = subscriptions.get(userId);
        if (found.isEmpty()) {
            // written by another instance a moment ago? This store may be a few records behind the topic: catch up first
            catchUp();
            found = subscriptions.get(userId);
        }
        return found.filter(s -> s.cardToken() != null && !s.cardToken().isBlank())
                .orElseThrow(() -> new NoCardOnFileException(userId));
    }

    private void catchUp() {
        try {
            subscriptions.caughtUp().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the subscriptions caught up", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the subscriptions did not catch up: " + e, e);
        }
    }
}
