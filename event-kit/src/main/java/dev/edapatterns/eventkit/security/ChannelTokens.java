package dev.edapatterns.eventkit.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * Subscription tokens for progress channels (Centrifugo's model): the backend that creates a channel signs a
 * short-lived capability naming the channel and the user it was issued to; the WebSocket server accepts a
 * subscription only with such a token, so knowing a channel id is not enough to watch it.
 *
 * <p>Format: a compact JWS (JWT), {@code HS256}, header {@code typ: eda-channel+jwt}; claims {@code aud: progress},
 * {@code sub} (the user), {@code channel} (the channel id), {@code iat}, {@code exp}. The key is shared by the issuer
 * and the verifier (base64, at least 32 bytes: HS256 needs a 256-bit key). A new format gets a new {@code typ}, so
 * verifiers never accept a token they were not written for.
 */
public final class ChannelTokens {

    /**
     * The configuration property of the shared key (outside the {@code eventkit.*} mapping: only the two apps of the
     * progress channels set it).
     */
    public static final String KEY_PROPERTY = "eda.channel-tokens.key";
    public static final String TYPE = "eda-channel+jwt";
    public static final String AUDIENCE = "progress";
    public static final String CHANNEL_CLAIM = "channel";
    /** Tolerated clock difference between the issuing and the verifying process. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MIN_KEY_BYTES = 32;

    private final HmacKey key;
    private final Clock clock;

    ChannelTokens(byte[] key, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A channel token key needs at least " + MIN_KEY_BYTES + " bytes, got "
                    + key.length + ".");
        }
        this.key = new HmacKey(key.clone());
        this.clock = Objects.requireNonNull(clock);
    }

    /** From the configured key ({@code eda.channel-tokens.key}: base64 of at least 32 random bytes). */
    public static ChannelTokens fromBase64(String base64Key) {
        return fromBase64(base64Key, Clock.systemUTC());
    }

    static ChannelTokens fromBase64(String base64Key, Clock clock) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("No channel token key configured.");
        }
        return new ChannelTokens(Base64.getDecoder().decode(base64Key.trim()), clock);
    }

    /** A token that lets {@code subject} subscribe to {@code channelId} for {@code ttl}. */
    public String issue(String channelId, String subject, Duration ttl) {
        long now = clock.millis();
        JwtClaims claims = new JwtClaims();
        claims.setAudience(AUDIENCE);
        claims.setSubject(Objects.requireNonNull(subject));
        claims.setClaim(CHANNEL_CLAIM, Objects.requireNonNull(channelId));
        claims.setIssuedAt(NumericDate.fromMilliseconds(now));
        claims.setExpirationTime(NumericDate.fromMilliseconds(now + ttl.toMillis()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", TYPE);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key);
        jws.setPayload(claims.toJson());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a channel token", e);
        }
    }

    /**
     * Why {@code token} does not let {@code subject} subscribe to {@code channelId} (bad signature or format,
     * expired, another channel, another user), or empty when it does.
     */
    public Optional<String> refusal(String token, String channelId, String subject) {
        if (token == null || token.isBlank()) {
            return Optional.of("a channel token is required");
        }
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            return Optional.of(e.hasExpired() ? "the channel token has expired" : "the channel token is invalid");
        }
        try {
            if (!Objects.equals(channelId, claims.getClaimValueAsString(CHANNEL_CLAIM))) {
                return Optional.of("the channel token is for another channel");
            }
            if (subject == null || !subject.equals(claims.getSubject())) {
                return Optional.of("the channel token was issued to another user");
            }
        } catch (MalformedClaimException e) {
            return Optional.of("the channel token is invalid");
        }
        return Optional.empty();
    }

    private JwtConsumer consumer() {
        return new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setExpectedType(true, TYPE)
                .setVerificationKey(key)
                .setExpectedAudience(AUDIENCE)
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds((int) CLOCK_SKEW.toSeconds())
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
    }
}
