package dev.edapatterns.order.checkout;

import java.time.Duration;


import io.smallrye.mutiny.Uni;

/**
 * Test-only fault: with {@code order.checkout.fail-before-commit=true} every checkout transaction fails after its
 * records were sent and before the commit, so it is aborted (the records stay on the log, invisible to
 * {@code read_committed} readers). Off by default; never set in production.
 */
final class CheckoutFaults {

    private CheckoutFaults() {
    }

    static Uni<Void> beforeCommit(CheckoutConfig config) {
        if (!config.failBeforeCommit()) {
            return Uni.createFrom().voidItem();
        }
        // give the producer time to really send the batch's records (an abort drops unsent ones), then fail
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(500))
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("order.checkout.fail-before-commit is set")));
    }
}
