package dev.edapatterns.billing.provider;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.edapatterns.contracts.billing.CardTokens;

/**
 * The simulated provider's fault switches. The declined card tokens are write-only like every card token: an answer
 * shows them as {@code declinedCardsLast4} and a log line masked.
 *
 * @param failureRate   share of calls (0..1) that fail transiently
 * @param outage        every call fails transiently
 * @param declinedCards card tokens that are always declined
 */
public record ProviderSwitches(double failureRate, boolean outage,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) Set<String> declinedCards) {

    public ProviderSwitches {
        declinedCards = declinedCards == null ? Set.of() : Set.copyOf(declinedCards);
    }

    public static ProviderSwitches healthy() {
        return new ProviderSwitches(0, false, Set.of());
    }

    /** The declined cards as an answer shows them: each token's last 4 characters (sorted, "" for a short token). */
    @JsonProperty(value = "declinedCardsLast4", access = JsonProperty.Access.READ_ONLY)
    public List<String> declinedCardsLast4() {
        return declinedCards.stream().map(t -> Objects.requireNonNullElse(CardTokens.last4(t), "")).sorted().toList();
    }

    @Override
    public String toString() {
        return "ProviderSwitches[failureRate=" + failureRate + ", outage=" + outage + ", declinedCards="
                + declinedCards.stream().map(CardTokens::masked).sorted().toList() + "]";
    }
}
