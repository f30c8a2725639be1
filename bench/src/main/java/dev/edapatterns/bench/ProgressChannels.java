package dev.edapatterns.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.AppSecrets;
import dev.edapatterns.eventkit.security.ChannelTokens;

/**
 * Progress channels as the benchmarks use them, all as {@link AppSecrets#IMPORTER}: an upload to import-app, which
 * chooses the channel and issues its token; notify-app's {@code /progress/{channelId}?token=...&after=...} opened with
 * that token; and tokens for channels the benchmark chooses itself (P2 publishes its own progress events), signed with
 * the key the benchmark gives notify-app ({@link AppSecrets#CHANNEL_TOKEN_KEY}).
 */
final class ProgressChannels {

    /** Longer than any benchmark phase: a client cut by notify-app reconnects with the token it was given. */
    private static final Duration TOKEN_TTL = Duration.ofHours(2);
    private static final ChannelTokens TOKENS = ChannelTokens.fromBase64(AppSecrets.forTests().get(AppSecrets.CHANNEL_TOKEN_KEY));

    private ProgressChannels() {
    }

    /** import-app's 202: the import and the channel to watch it on. */
    record Accepted(String importId, String channelId, String channelToken) {
    }

    /** {@code POST /imports} of a CSV as the importer; anything but 202 is an error. */
    static Accepted upload(HttpClient http, int importPort, Path csv) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(BenchApp.as(AppSecrets.IMPORTER, "http://localhost:" + importPort + "/imports")
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("upload refused: " + response.statusCode() + " " + response.body());
        }
        JsonNode body = Json.mapper().readTree(response.body());
        return new Accepted(body.get("importId").asText(), body.get("channelId").asText(), body.get("channelToken").asText());
    }

    /**
     * The import's channel from its first retained event ({@code after=-1}): opened once the upload is answered,
     * as the page does, it misses nothing that was sent before.
     */
    static WebSocket watch(HttpClient http, int notifyPort, Accepted accepted, WebSocket.Listener listener) throws Exception {
        return http.newWebSocketBuilder().header("Authorization", AppSecrets.basicAuthorization(AppSecrets.IMPORTER))
                .buildAsync(URI.create("ws://localhost:" + notifyPort + path(accepted.channelId(), accepted.channelToken())
                        + "&after=-1"),
                        listener)
                .get(30, TimeUnit.SECONDS);
    }

    /** A token that lets the importer watch a channel the benchmark chose (and publishes to) itself. */
    static String tokenFor(String channelId) {
        return TOKENS.issue(channelId, AppSecrets.IMPORTER, TOKEN_TTL);
    }

    /** {@code /progress/{channelId}?token=...}, to which an {@code &after=<seq>} may be added. */
    static String path(String channelId, String token) {
        return "/progress/" + channelId + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
