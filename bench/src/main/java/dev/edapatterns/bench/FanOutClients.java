package dev.edapatterns.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.edapatterns.deploy.AppSecrets;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The load generator's WebSocket side: N Vert.x clients on notify-app's {@code /progress/{channelId}}, several per
 * channel, each as the importer with a channel token for it ({@link ProgressChannels#tokenFor}). Each checks its
 * channel's events arrive in order without gaps (the producer numbers them per channel in {@code jobsDone}), records
 * append -> receive latency from the send time the producer stamps in {@code rowsImported} (epoch µs: a number is far
 * cheaper to read than {@code at}'s ISO text, and 200,000 frames/s share the cores with notify-app), and on a close
 * (1013 slow consumer, or any other) reconnects with {@code after=<last seq>} as the browser page does, so a cut
 * client loses nothing unless notify-app does.
 */
final class FanOutClients implements AutoCloseable {

    final LatencyRecorder latency = new LatencyRecorder();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong gaps = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final Vertx vertx;
    private final WebSocketClient client;
    private final List<Client> clients = new ArrayList<>();
    /** Events with {@code at} before this (epoch µs) are warm-up: delivered and checked, not timed. */
    volatile long measureFromMicros = Long.MAX_VALUE;
    private volatile boolean closing;

    FanOutClients(int eventLoops) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(60_000).setIdleTimeout(0));
    }

    /** One client per (channel, copy); {@code ports[i % ports.length]} spreads them over notify-app instances. */
    void connectAll(List<String> channels, int perChannel, int[] ports, int concurrency) throws Exception {
        int i = 0;
        for (String channel : channels) {
            for (int c = 0; c < perChannel; c++) {
                clients.add(new Client(channel, ports[i++ % ports.length]));
            }
        }
        // a bounded number of handshakes in flight: a burst of 10,000 SYNs overflows the accept backlog
        List<CompletableFuture<Void>> window = new ArrayList<>();
        for (Client c : clients) {
            window.add(c.connect(-1));
            if (window.size() >= concurrency) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    List<Client> clients() {
        return clients;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    static long epochMicros(Instant at) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    /**
     * The non-negative integer after {@code field} in a frame, or -1. Not a JSON parser: it reads the three numbers the
     * check needs from notify-app's compact frames. A streaming JSON parse per frame was two thirds of the clients'
     * CPU, and the clients share the cores with the notify-app they measure.
     */
    static long number(String json, String field) {
        int i = json.indexOf(field);
        if (i < 0) {
            return -1;
        }
        i += field.length();
        long value = 0;
        int digits = 0;
        for (; i < json.length(); i++, digits++) {
            char c = json.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return digits == 0 ? -1 : value;
    }

    /** One WebSocket client of one channel. */
    final class Client {
        final String channel;
        final int port;
        private final String token;
        /** Next expected per-channel number; every number below it was received (or counted as a gap). */
        volatile long expected;
        private volatile long lastSeq = -1;

        Client(String channel, int port) {
            this.channel = channel;
            this.port = port;
            this.token = ProgressChannels.tokenFor(channel);
        }

        CompletableFuture<Void> connect(long after) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            String uri = ProgressChannels.path(channel, token) + (after >= 0 ? "&after=" + after : "");
            client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
                            .addHeader("Authorization", AppSecrets.basicAuthorization(AppSecrets.IMPORTER)))
                    .onSuccess(ws -> {
                        ws.textMessageHandler(this::onFrame);
                        ws.closeHandler(v -> onClose(ws));
                        open.complete(null);
                    })
                    .onFailure(e -> {
                        errors.incrementAndGet();
                        open.completeExceptionally(e);
                    });
            return open;
        }

        private void onFrame(String text) {
            long receivedMicros = epochMicros(Instant.now());
            frames.incrementAndGet();
            long seq = number(text, "\"seq\":");
            long n = number(text, "\"jobsDone\":");
            long sentMicros = number(text, "\"rowsImported\":");
            if (seq < 0 || n < 0 || sentMicros < 0) {
                errors.incrementAndGet();
                return;
            }
            if (n < expected) {
                duplicates.incrementAndGet();
                return;
            }
            if (n > expected) {
                gaps.addAndGet(n - expected);
            }
            expected = n + 1;
            lastSeq = seq;
            if (sentMicros >= measureFromMicros) {
                latency.record(receivedMicros - sentMicros);
            }
        }

        private void onClose(WebSocket ws) {
            if (closing) {
                return;
            }
            Short code = ws.closeStatusCode();
            if (code != null && code == 1008) { // refused (token, channel id): reconnecting would be refused again
                errors.incrementAndGet();
                return;
            }
            reconnects.incrementAndGet();
            connect(lastSeq).exceptionally(e -> null);
        }
    }
}
