package dev.edapatterns.billing.renewals;

/**
 * A permanent failure: the renewal's user has no subscription (or none with a card token) in the subscriptions store,
 * even after it caught up with the topic. Retrying cannot help: the renewal goes straight to the DLQ.
 */
public class NoCardOnFileException extends RuntimeException {

    NoCardOnFileException(String userId) {
        super("no subscription with a card on file for user " + userId);
    }
}
