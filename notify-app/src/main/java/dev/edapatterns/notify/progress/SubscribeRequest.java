package dev.edapatterns.notify.progress;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import dev.edapatterns.contracts.progress.ChannelId;

/**
 * What a {@code /progress/{channelId}?token=...&after=...} handshake asks for, its shape checked before anything is
 * looked up or verified: the channel id against {@link ChannelId#PATTERN}, the token's length and alphabet (a compact
 * JWS is base64url and dots), {@code after} a long of at least -1. The token's signature and claims are checked later,
 * by {@code ChannelTokens}, and only for a connection the caps admitted.
 */
record SubscribeRequest(String channelId, String token, OptionalLong after) {

    /** The alphabet of a compact JWS. */
    private static final Pattern TOKEN_ALPHABET = Pattern.compile("[A-Za-z0-9_.-]*");

    /** The request, or why it is refused (a close reason: at most 123 bytes, so never the input itself). */
    record Parsed(SubscribeRequest request, String refusal) {
    }

    /**
     * @param channelId the path parameter as websockets-next decoded it (may be null)
     * @param query the raw query string of the upgrade (may be null)
     */
    static Parsed parse(String channelId, String query, int maxTokenLength) {
        if (!ChannelId.isValid(channelId)) {
            return refused("channelId must match " + ChannelId.PATTERN.pattern());
        }
        String token;
        Optional<String> after;
        try {
            token = queryParam(query, "token").orElse(null);
            after = queryParam(query, "after");
        } catch (IllegalArgumentException e) {
            return refused("the query string is not valid URL encoding");
        }
        if (token != null && token.length() > maxTokenLength) {
            return refused("the channel token is too long (at most " + maxTokenLength + " characters)");
        }
        if (token != null && !TOKEN_ALPHABET.matcher(token).matches()) {
            return refused("the channel token is invalid");
        }
        OptionalLong seq = OptionalLong.empty();
        if (after.isPresent()) {
            try {
                seq = OptionalLong.of(Long.parseLong(after.get().trim()));
            } catch (NumberFormatException e) {
                return refused("after must be an integer (a seq)");
            }
            if (seq.getAsLong() < -1) {
                return refused("after must be -1 (everything retained) or a seq");
            }
        }
        return new Parsed(new SubscribeRequest(channelId, token, seq), null);
    }

    private static Parsed refused(String reason) {
        return new Parsed(null, reason);
    }

    /** The first value of {@code name} in a raw query string, decoded; IllegalArgumentException on bad %-escapes. */
    static Optional<String> queryParam(String query, String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
