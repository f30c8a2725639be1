package dev.edapatterns.billing.provider;

/** A permanent decline: the renewal goes straight to the DLQ and the subscription becomes PAST_DUE. */
public class CardDeclinedException extends RuntimeException {

    public CardDeclinedException(String message) {
        super(message);
    }
}
