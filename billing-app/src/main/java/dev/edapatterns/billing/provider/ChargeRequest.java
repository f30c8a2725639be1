package dev.edapatterns.billing.provider;

import java.math.BigDecimal;

import dev.edapatterns.contracts.billing.CardTokens;

/**
 * What the renewal processor asks a provider to charge: the one in-process object besides the subscription that holds
 * the card token (read from the subscription just before the call; never written to a topic or a log).
 */
public record ChargeRequest(String idempotencyKey, String userId, BigDecimal amount, String currency, String cardToken) {

    @Override
    public String toString() {
        return "ChargeRequest[idempotencyKey=" + idempotencyKey + ", userId=" + userId + ", amount=" + amount + ", currency="
                + currency + ", cardToken=" + CardTokens.masked(cardToken) + "]";
    }
}
