package dev.edapatterns.billing.provider;

/** The provider failed for now (outage, timeout before charging, rate limit): the renewal goes to a retry topic. */
public class TransientChargeException extends RuntimeException {

    public TransientChargeException(String message) {
        super(message);
    }
}
