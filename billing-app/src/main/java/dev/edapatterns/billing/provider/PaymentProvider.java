package dev.edapatterns.billing.provider;

/**
 * A payment provider. Implementations are beans with an {@code @Identifier}; {@code billing.provider.active} selects one
 * ({@link ActivePaymentProvider}). The idempotency key {@code userId:period} goes with every call, so a real provider
 * can also dedupe a call whose outcome we never learned (a timeout after it charged).
 */
public interface PaymentProvider {

    /**
     * Charges the card once.
     *
     * @throws TransientChargeException the charge did not happen and may succeed later (retry)
     * @throws CardDeclinedException the card was declined: retrying does not help
     */
    ChargeReceipt charge(ChargeRequest request);
}
