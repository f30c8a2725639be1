package dev.edapatterns.billing.provider;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.edapatterns.billing.InputRules;
import dev.edapatterns.contracts.billing.CardTokens;

/**
 * The simulated provider's fault switches. The declined card tokens are write-only like every card token: an answer
 * shows them as {@code declinedCardsLast4} and a log line masked.
 *
 * @param failureRate   share of calls (0..1) that fail transiently
 * @param outage        every call fails transiently
 * @param declinedCards card tokens that are always declined (as many as {@link #MAX_DECLINED_CARDS}, each a token as
 *                      a subscription's)
 */
public record ProviderSwitches(
        @DecimalMin(value = "0", message = "between 0 and 1") @DecimalMax(value = "1", message = "between 0 and 1") double failureRate,
        boolean outage,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) @Size(max = MAX_DECLINED_CARDS, message = "at most "
                + MAX_DECLINED_CARDS + " cards")
        Set<@Pattern(regexp = InputRules.CARD_TOKEN, message = InputRules.CARD_TOKEN_MESSAGE) String> declinedCards) {

    public static final int MAX_DECLINED_CARDS = 1000;

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
