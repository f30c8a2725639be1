package dev.edapatterns.bench;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * The load generator's WebSocket side: N Vert.x clients on notify-app's {@code /progress/{channelId}}, several per
 * channel. Each checks its channel's events arrive in order without gaps (the producer numbers them per channel in
 * {@code jobsDone}), records append -> receive latency from the event's {@code at}, and on a close (1013 slow
 * consumer, or any other) reconnects with {@code after=<last seq>} as the browser page does, so a cut client loses
 * nothing unless notify-app does.
 */
final class FanOutClients implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();

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

    /** One WebSocket client of one channel. */
    final class Client {
        final String channel;
        final int port;
        /** Next expected per-channel number; every number below it was received (or counted as a gap). */
        volatile long expected;
        private volatile long lastSeq = -1;

        Client(String channel, int port) {
            this.channel = channel;
            this.port = port;
        }

        CompletableFuture<Void> connect(long after) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            String uri = "/progress/" + channel + (after >= 0 ? "?after=" + after : "");
            client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
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
            long seq = -1;
            long n = -1;
            String at = null;
            try (JsonParser p = JSON.createParser(text)) {
                while (p.nextToken() != null) {
                    if (p.currentToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        switch (field) {
                            case "seq" -> seq = p.getLongValue();
                            case "jobsDone" -> n = p.getLongValue();
                            case "at" -> at = p.getText();
                            default -> p.skipChildren();
                        }
                    }
                }
            } catch (IOException e) {
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
            long sentMicros = epochMicros(Instant.parse(at));
            if (sentMicros >= measureFromMicros) {
                latency.record(receivedMicros - sentMicros);
            }
        }

        private void onClose(WebSocket ws) {
            if (closing) {
                return;
            }
            reconnects.incrementAndGet();
            connect(lastSeq).exceptionally(e -> null);
        }
    }
}
