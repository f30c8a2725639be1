package dev.edapatterns.billing.provider;

import java.util.Set;

/**
 * The simulated provider's fault switches.
 *
 * @param failureRate   share of calls (0..1) that fail transiently
 * @param outage        every call fails transiently
 * @param declinedCards card tokens that are always declined
 */
public record ProviderSwitches(double failureRate, boolean outage, Set<String> declinedCards) {

    public ProviderSwitches {
        declinedCards = declinedCards == null ? Set.of() : Set.copyOf(declinedCards);
    }

    public static ProviderSwitches healthy() {
        return new ProviderSwitches(0, false, Set.of());
    }
}
