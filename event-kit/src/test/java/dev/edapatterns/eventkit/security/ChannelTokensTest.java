package dev.edapatterns.eventkit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ChannelTokensTest {

    private static final String KEY = Base64.getEncoder().encodeToString("k".repeat(32).getBytes(StandardCharsets.UTF_8));
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("o".repeat(32).getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final String CHANNEL = "Ch4nnel-0123456789abcdef";

    private static ChannelTokens at(String key, Instant now) {
        return ChannelTokens.fromBase64(key, Clock.fixed(now, ZoneOffset.UTC));
    }

    private final ChannelTokens tokens = at(KEY, NOW);
    private final String token = tokens.issue(CHANNEL, "importer", Duration.ofMinutes(10));

    @Test
    void theRightUserOnTheRightChannelBeforeExpiryIsAccepted() {
        assertEquals(Optional.empty(), tokens.refusal(token, CHANNEL, "importer"));
        assertEquals(Optional.empty(), at(KEY, NOW.plus(Duration.ofMinutes(10))).refusal(token, CHANNEL, "importer"));
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String forged = at(OTHER_KEY, NOW).issue(CHANNEL, "importer", Duration.ofMinutes(10));
        assertEquals(Optional.of("the channel token is invalid"), tokens.refusal(forged, CHANNEL, "importer"));
    }

    @Test
    void anAlteredPayloadOrAnUnsignedTokenIsRefused() {
        String[] parts = token.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getUrlDecoder().decode(parts[1]));
        String claimsForBob = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"importer\"", "\"importer2\"");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claimsForBob.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(Optional.of("the channel token is invalid"), tokens.refusal(altered, CHANNEL, "importer2"));
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"eda-channel+jwt\"}".getBytes(StandardCharsets.UTF_8)) + "." + otherPayload + ".";
        assertEquals(Optional.of("the channel token is invalid"), tokens.refusal(none, CHANNEL, "importer"));
        assertEquals(Optional.of("the channel token is invalid"), tokens.refusal("not-a-token", CHANNEL, "importer"));
        assertEquals(Optional.of("a channel token is required"), tokens.refusal(null, CHANNEL, "importer"));
        assertEquals(Optional.of("a channel token is required"), tokens.refusal(" ", CHANNEL, "importer"));
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant later = NOW.plus(Duration.ofMinutes(10)).plus(ChannelTokens.CLOCK_SKEW).plusSeconds(1);
        assertEquals(Optional.of("the channel token has expired"), at(KEY, later).refusal(token, CHANNEL, "importer"));
    }

    @Test
    void aTokenForAnotherChannelIsRefused() {
        assertEquals(Optional.of("the channel token is for another channel"),
                tokens.refusal(token, "Other-0123456789abcdef", "importer"));
    }

    @Test
    void aTokenIssuedToAnotherUserIsRefused() {
        assertEquals(Optional.of("the channel token was issued to another user"), tokens.refusal(token, CHANNEL, "importer2"));
        assertEquals(Optional.of("the channel token was issued to another user"), tokens.refusal(token, CHANNEL, null));
    }

    @Test
    void keysShorterThan256BitsAreRejected() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        assertThrows(IllegalArgumentException.class, () -> ChannelTokens.fromBase64(shortKey));
        assertThrows(IllegalArgumentException.class, () -> ChannelTokens.fromBase64(""));
        assertTrue(token.split("\\.").length == 3, "a compact JWS");
    }
}
