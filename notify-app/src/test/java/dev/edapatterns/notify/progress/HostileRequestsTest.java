package dev.edapatterns.notify.progress;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.edapatterns.eventkit.security.ChannelTokens;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hostile handshakes on {@code /progress/{channelId}} and requests on the page's JSON, as an attacker would send
 * them, each as a user the refusal cannot come from (an importer with a valid token, unless the input is the user or
 * the token): each is refused (a close code and reason at once, or an HTTP problem), nothing is sent, no connection,
 * cap slot or pending frame is left behind, and the instance stays ready. The caps run with the test profile's small
 * values ({@code %test.notify.ws.max-connections*}).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class HostileRequestsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String IMPORTER = TestClient.basic(TestClient.USER);
    /** A channel with one retained event: every handshake below asks for it ({@code after=-1}), so a leak shows. */
    private static String channel;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ProgressHub hub;

    @Inject
    ConnectionLimits limits;

    /**
     * What the server must do: answer HTTP {@code status} (with a problem body unless the answer comes from below the
     * app), or upgrade and close at once with {@code code} and a reason containing {@code reason}.
     */
    record Refusal(int status, boolean problem, int code, String reason) {
        static Refusal http(int status) {
            return new Refusal(status, true, 0, null);
        }

        static Refusal statusOnly(int status) {
            return new Refusal(status, false, 0, null);
        }

        static Refusal closed(int code, String reason) {
            return new Refusal(0, false, code, reason);
        }
    }

    /** One hostile handshake: the request URI for a channel with a valid token, the Authorization header, the answer. */
    enum Handshake {
        CHANNEL_ID_TOO_SHORT(f -> f.uri("abc"), IMPORTER, Refusal.closed(1008, "channelId must match")),
        CHANNEL_ID_OF_65(f -> f.uri("a".repeat(65)), IMPORTER, Refusal.closed(1008, "channelId must match")),
        CHANNEL_ID_OF_3000(f -> f.uri("a".repeat(3000)), IMPORTER, Refusal.closed(1008, "channelId must match")),
        DOT_IN_CHANNEL_ID(f -> f.uri(f.channel() + ".x"), IMPORTER, Refusal.closed(1008, "channelId must match")),
        NUL_IN_CHANNEL_ID(f -> f.uri(f.channel() + "%00"), IMPORTER, Refusal.closed(1008, "channelId must match")),
        BIDI_OVERRIDE_IN_CHANNEL_ID(f -> f.uri("%E2%80%AE" + f.channel()), IMPORTER, Refusal.closed(1008, "channelId must match")),
        ENCODED_SLASH_IN_CHANNEL_ID(f -> f.uri(f.channel().substring(0, 8) + "%2F" + f.channel().substring(8)), IMPORTER,
                Refusal.closed(1008, "channelId must match")),
        NON_ASCII_CHANNEL_ID(f -> f.uri("%C3%A9".repeat(20)), IMPORTER, Refusal.closed(1008, "channelId must match")),
        NO_TOKEN(f -> "/progress/" + f.channel() + "?after=-1", IMPORTER, Refusal.closed(1008, "a channel token is required")),
        EMPTY_TOKEN(f -> f.withToken(""), IMPORTER, Refusal.closed(1008, "a channel token is required")),
        TOKEN_OF_1025(f -> f.withToken("a".repeat(1025)), IMPORTER, Refusal.closed(1008, "too long")),
        TOKEN_OF_3000(f -> f.withToken(f.token() + "a".repeat(3000 - f.token().length())), IMPORTER,
                Refusal.closed(1008, "too long")),
        SPACE_IN_TOKEN(f -> f.withToken(f.token().substring(0, 10) + "%20" + f.token().substring(10)), IMPORTER,
                Refusal.closed(1008, "the channel token is invalid")),
        NUL_IN_TOKEN(f -> f.withToken(f.token() + "%00"), IMPORTER, Refusal.closed(1008, "the channel token is invalid")),
        // a request line that is not a valid URI is answered by Vert.x before routing: 400, no body
        MALFORMED_ESCAPE_IN_TOKEN(f -> f.withToken("%zz" + f.token()), IMPORTER, Refusal.statusOnly(400)),
        RAW_QUOTE_IN_TOKEN(f -> f.withToken("\"" + f.token()), IMPORTER, Refusal.statusOnly(400)),
        TOKEN_OF_ANOTHER_KEY(f -> f.withToken(f.signed(AlgorithmIdentifiers.HMAC_SHA256, "another-key-that-is-32-bytes-long"
                .getBytes(StandardCharsets.UTF_8), ChannelTokens.TYPE, f.claims(f.channel()))), IMPORTER,
                Refusal.closed(1008, "the channel token is invalid")),
        UNSIGNED_TOKEN(f -> f.withToken(f.unsigned(f.claims(f.channel()))), IMPORTER, Refusal.closed(1008, "the channel token is invalid")),
        TOKEN_SIGNED_WITH_HS512(f -> f.withToken(f.signed(AlgorithmIdentifiers.HMAC_SHA512, f.key(), ChannelTokens.TYPE,
                f.claims(f.channel()))), IMPORTER, Refusal.closed(1008, "the channel token is invalid")),
        TOKEN_OF_ANOTHER_TYPE(f -> f.withToken(f.signed(AlgorithmIdentifiers.HMAC_SHA256, f.key(), "JWT", f.claims(f.channel()))),
                IMPORTER, Refusal.closed(1008, "the channel token is invalid")),
        TOKEN_WITH_A_LIST_AS_CHANNEL(f -> f.withToken(f.signed(AlgorithmIdentifiers.HMAC_SHA256, f.key(), ChannelTokens.TYPE,
                f.claims(List.of(f.channel(), "x")))), IMPORTER, Refusal.closed(1008, "another channel")),
        EXPIRED_TOKEN(f -> f.withToken(ProgressEvents.tokens().issue(f.channel(), TestClient.USER, Duration.ofMinutes(-5))),
                IMPORTER, Refusal.closed(1008, "expired")),
        TOKEN_OF_ANOTHER_CHANNEL(f -> f.withToken(ProgressEvents.token(ProgressEvents.newChannelId(), TestClient.USER)),
                IMPORTER, Refusal.closed(1008, "another channel")),
        TOKEN_OF_ANOTHER_USER(f -> f.withToken(ProgressEvents.token(f.channel(), "importer2")), IMPORTER,
                Refusal.closed(1008, "another user")),
        AFTER_NOT_A_NUMBER(f -> f.uri(f.channel()).replace("after=-1", "after=abc"), IMPORTER, Refusal.closed(1008, "after must be an integer")),
        AFTER_BEYOND_A_LONG(f -> f.uri(f.channel()).replace("after=-1", "after=99999999999999999999"), IMPORTER,
                Refusal.closed(1008, "after must be an integer")),
        AFTER_IN_EXPONENT_FORM(f -> f.uri(f.channel()).replace("after=-1", "after=1e3"), IMPORTER,
                Refusal.closed(1008, "after must be an integer")),
        AFTER_BELOW_MINUS_ONE(f -> f.uri(f.channel()).replace("after=-1", "after=-9223372036854775808"), IMPORTER,
                Refusal.closed(1008, "after must be -1")),
        MALFORMED_ESCAPE_IN_AFTER(f -> f.uri(f.channel()).replace("after=-1", "after=%G1"), IMPORTER,
                Refusal.statusOnly(400)),
        TRUNCATED_ESCAPE_IN_AFTER(f -> f.uri(f.channel()).replace("after=-1", "after=1%2"), IMPORTER, Refusal.statusOnly(400)),
        PLUS_IN_AFTER(f -> f.uri(f.channel()).replace("after=-1", "after=1+2"), IMPORTER,
                Refusal.closed(1008, "after must be an integer")),
        // answered by websockets-next's security check, with no body (a browser's WebSocket sees neither)
        ANONYMOUS(f -> f.uri(f.channel()), null, Refusal.statusOnly(401)),
        WRONG_PASSWORD(f -> f.uri(f.channel()), "Basic " + base64("importer:wrong"), Refusal.http(401)),
        MALFORMED_BASIC_CREDENTIALS(f -> f.uri(f.channel()), "Basic !!not-base64!!", Refusal.http(401)),
        USER_WITHOUT_THE_ROLE(f -> f.uri(f.channel()), TestClient.basic("clerk"), Refusal.statusOnly(403)),
        USER_OF_ANOTHER_ROLE(f -> f.uri(f.channel()), TestClient.basic("crm"), Refusal.statusOnly(403)),
        // answered by Vert.x while reading the request line (quarkus.http.limits.max-initial-line-length), no body
        URI_OVER_THE_LINE_LIMIT(f -> f.uri(f.channel()) + "&pad=" + "a".repeat(8000), IMPORTER, Refusal.statusOnly(414)),
        PATH_BELOW_A_CHANNEL(f -> "/progress/" + f.channel() + "/more" + f.uri(f.channel()).substring(f.uri(f.channel()).indexOf('?')),
                IMPORTER, Refusal.http(404));

        final Function<Fixture, String> uri;
        final String authorization;
        final Refusal refusal;

        Handshake(Function<Fixture, String> uri, String authorization, Refusal refusal) {
            this.uri = uri;
            this.authorization = authorization;
            this.refusal = refusal;
        }
    }

    /** The channel and its valid token, and ways to build tokens that must not pass. */
    record Fixture(String channel, String token) {
        /** The channel (or {@code channelId}) with the valid token of {@link #channel}, everything retained. */
        String uri(String channelId) {
            return "/progress/" + channelId + "?token=" + token + "&after=-1";
        }

        String withToken(String rawToken) {
            return "/progress/" + channel + "?token=" + rawToken + "&after=-1";
        }

        byte[] key() {
            return Base64.getDecoder().decode(ConfigProvider.getConfig().getValue(ChannelTokens.KEY_PROPERTY, String.class));
        }

        JwtClaims claims(Object channelClaim) {
            JwtClaims claims = new JwtClaims();
            claims.setAudience(ChannelTokens.AUDIENCE);
            claims.setSubject(TestClient.USER);
            claims.setClaim(ChannelTokens.CHANNEL_CLAIM, channelClaim);
            claims.setIssuedAtToNow();
            claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + 600_000));
            return claims;
        }

        String signed(String algorithm, byte[] key, String type, JwtClaims claims) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setHeader("typ", type);
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKey(new HmacKey(key));
            jws.setDoKeyValidation(false);
            jws.setPayload(claims.toJson());
            try {
                return jws.getCompactSerialization();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        String unsigned(JwtClaims claims) {
            return base64Url("{\"typ\":\"" + ChannelTokens.TYPE + "\",\"alg\":\"none\"}") + "." + base64Url(claims.toJson()) + ".";
        }
    }

    @BeforeEach
    void channelWithARetainedEvent() {
        if (channel != null) {
            return;
        }
        String id = ProgressEvents.newChannelId();
        try (ProgressEvents progress = new ProgressEvents()) {
            progress.send(id, "imp-hostile", 1);
        }
        try (TestClient legit = new TestClient(base, "/progress/" + id + "?after=-1")) {
            await().atMost(TIMEOUT).until(() -> legit.events.size() == 1); // the same request, well-formed, is served
        }
        channel = id;
        awaitBaseline();
    }

    @ParameterizedTest
    @EnumSource(Handshake.class)
    void hostileHandshakesAreRefusedAndLeaveNothingBehind(Handshake handshake) throws Exception {
        Fixture fixture = new Fixture(channel, ProgressEvents.token(channel, TestClient.USER));
        RawHandshake.Outcome outcome = RawHandshake.attempt(base, handshake.uri.apply(fixture), handshake.authorization);
        Refusal expected = handshake.refusal;
        if (expected.status() > 0) {
            assertEquals(expected.status(), outcome.status(), handshake + ": " + outcome);
            if (expected.problem()) {
                assertProblem(handshake.name(), outcome.contentType());
            }
        } else {
            assertEquals(101, outcome.status(), handshake + ": upgraded, then closed: " + outcome);
            assertEquals((short) expected.code(), outcome.closeCode(), handshake + ": " + outcome);
            assertTrue(outcome.closeReason().contains(expected.reason()), handshake + ": " + outcome);
            assertEquals(0, outcome.frames(), handshake + ": nothing sent");
        }
        awaitBaseline();
        assertReady();
    }

    @Test
    void oneConnectionOverTheUserCapIsClosedWith1008AndHoldsNothing() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try {
            openAs(open, Collections.nCopies(6, TestClient.USER)); // %test.notify.ws.max-connections-per-user
            assertRefusedHoldingNothing(attemptAs(TestClient.USER), 1008,
                    "too many progress connections for this user (at most 6)", 6);
            assertEquals(6, hub.stats().connections());
            assertServedAs("admin"); // another user is not affected by importer's connections
        } finally {
            open.forEach(TestClient::close);
        }
        awaitBaseline();
        assertReady();
    }

    @Test
    void oneConnectionOverTheInstanceCapIsClosedWith1013AndHoldsNothing() throws Exception {
        List<TestClient> open = new ArrayList<>();
        try {
            List<String> users = new ArrayList<>(Collections.nCopies(5, TestClient.USER)); // under their own caps,
            users.addAll(Collections.nCopies(5, "importer2")); // together at %test.notify.ws.max-connections
            openAs(open, users);
            assertRefusedHoldingNothing(attemptAs("admin"), 1013,
                    "this instance has its maximum of 10 connections, try again later", 10);
        } finally {
            open.forEach(TestClient::close);
        }
        awaitBaseline();
        assertServedAs("admin"); // a slot given back is free again
        awaitBaseline();
        assertReady();
    }

    /** Opens a live connection (no replay) per user, each with its own token, into {@code open}; waits for their slots. */
    private void openAs(List<TestClient> open, List<String> users) {
        for (String user : users) {
            open.add(new TestClient(base, "/progress/" + channel, user, ProgressEvents.token(channel, user)));
        }
        await().atMost(TIMEOUT).until(() -> limits.open() == users.size());
    }

    /** A connection of {@code user} asking for everything retained is admitted and gets the channel's event. */
    private void assertServedAs(String user) {
        try (TestClient client = new TestClient(base, "/progress/" + channel + "?after=-1", user,
                ProgressEvents.token(channel, user))) {
            await().atMost(TIMEOUT).until(() -> client.events.size() == 1);
            assertNull(client.closed.get());
        }
    }

    /** A well-formed handshake of {@code user} with a valid token, everything retained asked for. */
    private RawHandshake.Outcome attemptAs(String user) throws IOException {
        return RawHandshake.attempt(base, "/progress/" + channel + "?after=-1&token=" + ProgressEvents.token(channel, user),
                TestClient.basic(user));
    }

    private void assertRefusedHoldingNothing(RawHandshake.Outcome outcome, int code, String reason, int slots) {
        assertEquals((short) code, outcome.closeCode(), outcome.toString());
        assertEquals(reason, outcome.closeReason());
        assertEquals(0, outcome.frames(), "nothing sent");
        assertEquals(slots, limits.open(), "the refused connection took no slot");
    }

    @Test
    void pageRequestsOutsideTheApiAreRefusedWithAProblem() {
        given().auth().preemptive().basic("importer", "importer").post("/config.json").then().statusCode(405)
                .contentType("application/problem+json");
        given().auth().preemptive().basic("importer", "importer").delete("/config.json").then().statusCode(405)
                .contentType("application/problem+json");
        given().auth().preemptive().basic("importer", "importer").get("/progress/" + channel).then().statusCode(404)
                .contentType("application/problem+json");
        assertReady();
    }

    @Test
    void refusedHandshakesAddNoSeriesPerChannelOrToken() throws Exception {
        String marker = "hostileMarker" + System.nanoTime();
        String token = ProgressEvents.token(channel, TestClient.USER);
        for (String uri : List.of("/progress/" + marker, "/progress/" + channel + "?token=" + marker,
                "/progress/" + marker + "x".repeat(60) + "?token=" + token, "/progress/" + channel + "/" + marker)) {
            assertNotNull(RawHandshake.attempt(base, uri, IMPORTER));
        }
        assertNotNull(RawHandshake.attempt(base, "/progress/" + marker, null));
        String scrape = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertFalse(scrape.contains(marker), "a request's input in the metrics");
        assertFalse(scrape.contains(channel), "a channel id in the metrics");
        for (Observability.Sample sample : Observability.samples(scrape)) {
            String uri = sample.labels().get("uri");
            assertTrue(uri == null || !uri.startsWith("/progress/") || uri.equals("/progress/{channelId}"), sample.toString());
        }
        assertTrue(Observability.value(scrape, "notify_websocket_refused_total", "reason", "request") >= 2, scrape);
        awaitBaseline();
    }

    /** No connection, cap slot or pending frame left, as the hub, the caps and the metrics see it. */
    private void awaitBaseline() {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertEquals(0, limits.open(), "cap slots");
            assertEquals(0, hub.stats().connections(), "subscriptions");
            assertEquals(0, hub.stats().pendingFrames(), "pending frames");
            String scrape = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(0, Observability.value(scrape, "notify_websocket_sessions"));
            assertEquals(0, Observability.value(scrape, "notify_websocket_pending_frames"));
        });
    }

    private static void assertReady() {
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    private static void assertProblem(String name, String contentType) {
        assertNotNull(contentType, name + ": a body");
        assertTrue(contentType.startsWith("application/problem+json"), name + ": " + contentType);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
