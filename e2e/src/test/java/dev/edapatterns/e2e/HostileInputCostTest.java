package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * What one hostile request costs a packaged app with its default limits and a small heap ({@code -Xmx256m}): it is
 * refused with a 4xx in under 2 s, the live heap (after a full GC) grows by less than 32 MB, no OutOfMemoryError, and
 * the app stays ready. The cost of a bad request is bounded by the app's limits, not by the size of what was sent.
 */
@ResourceLock(BrokerGroups.IMPORT_APP)
@ResourceLock(BrokerGroups.ORDER_APP)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputCostTest {

    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    static final long MAX_LIVE_GROWTH = 32L << 20;
    static final List<String> SMALL_HEAP = List.of("-Xmx256m");

    private RunningApp orderApp;
    private RunningApp importApp;

    /** Both apps start at once: their start-up is most of this test's time. */
    @BeforeAll
    void start() {
        CompletableFuture<RunningApp> order = CompletableFuture.supplyAsync(() -> start("order-app"));
        CompletableFuture<RunningApp> imports = CompletableFuture.supplyAsync(() -> start("import-app"));
        orderApp = order.join();
        importApp = imports.join();
    }

    @AfterAll
    void stop() {
        for (RunningApp app : new RunningApp[] { orderApp, importApp }) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void aPaymentWithAHugeNumberIsRefusedAtOnceAndCostsNothing() {
        String body = """
                {"customerId": "alice@example.com", "currency": "EUR", "shippingCountry": "FR",
                 "items": [{"sku": "sku-1", "qty": 1, "unitPrice": 1e100000000}]}""";
        assertCheap(orderApp, () -> Http.as(Http.CUSTOMER).post(orderApp.url() + "/orders/hostile-1/payments",
                "application/json", body, "Idempotency-Key", "hostile-1"));
    }

    @Test
    void aHundredMegabyteSingleFieldCsvIsRefusedAtOnceAndCostsNothing() {
        // over a plain socket, timed to the answer's first line: a client that only reads the answer once it has
        // sent the whole body would time its own upload
        assertCheap(importApp, () -> streamingPost(importApp, "/imports", "text/csv", new SingleFieldCsv(100L << 20)));
    }

    private static RunningApp start(String module) {
        return RunningApp.start(module, module + "-hostile", KafkaBroker.freePort(), Map.of(
                RunningApp.BOOTSTRAP, TestKafka.bootstrapServers(), RunningApp.INSTANCE_ID, "e2e-hostile"), SMALL_HEAP);
    }

    private static void assertCheap(RunningApp app, Supplier<Http.Response> hostile) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(app::ready);
        long before = liveHeap(app);
        long t0 = System.nanoTime();
        Http.Response answer = hostile.get();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long after = liveHeap(app);
        ImporterCluster.log("%s: %d in %d ms, live heap %d -> %d KB: %s", app.name, answer.status(), millis,
                before >> 10, after >> 10, answer.body());
        assertTrue(answer.status() >= 400 && answer.status() < 500, "a 4xx: " + answer);
        assertTrue(answer.contentType().startsWith("application/problem+json"), "problem+json: " + answer);
        assertTrue(answer.body().contains("\"type\":\"https://edapatterns.dev/problems/"), "a problem of ours: " + answer);
        assertTrue(millis < ANSWER_WITHIN.toMillis(), "answered in " + millis + " ms");
        assertTrue(after - before < MAX_LIVE_GROWTH, "live heap grew by " + ((after - before) >> 10) + " KB");
        assertTrue(app.ready(), "still ready");
        assertFalse(log(app).contains("OutOfMemoryError"), "no OutOfMemoryError in the app's log");
    }

    /** The live heap: a full GC requested through the JDK's own tool, then what it left ({@code /ops/heap}). */
    private static long liveHeap(RunningApp app) {
        try {
            Process gc = new ProcessBuilder("jcmd", String.valueOf(app.pid()), "GC.run").redirectErrorStream(true).start();
            String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(gc.waitFor(30, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Http.Response heap = app.ops("/ops/heap");
        assertEquals(200, heap.status(), heap.body());
        return heap.json().get("afterLastGc").asLong();
    }

    private static String log(RunningApp app) {
        try {
            return Files.readString(Path.of("target", "process-logs", app.name + "-hostile.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * POST of a body streamed from another thread while the answer is read here; the answer is complete once its
     * Content-Length bytes arrived, whatever the upload is still doing (it is cut when the socket closes).
     */
    private static Http.Response streamingPost(RunningApp app, String path, String contentType, SingleFieldCsv body) {
        try (Socket socket = new Socket("localhost", app.port)) {
            socket.setSoTimeout((int) Http.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + app.port + "\r\nAuthorization: "
                    + Http.as(Http.IMPORTER).authorization() + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                    + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread upload = new Thread(() -> {
                try {
                    body.transferTo(out);
                } catch (IOException e) {
                    // the server answered and closed, or the test is done: the rest is not wanted
                }
            }, "hostile-upload");
            upload.setDaemon(true);
            upload.start();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int status = Integer.parseInt(line(in).split(" ")[1]);
            String type = "";
            int length = 0;
            for (String header; !(header = line(in)).isEmpty();) {
                String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT);
                String value = header.substring(header.indexOf(':') + 1).trim();
                if (name.equals("content-type")) {
                    type = value;
                } else if (name.equals("content-length")) {
                    length = Integer.parseInt(value);
                }
            }
            byte[] answer = new byte[length];
            in.readFully(answer);
            return new Http.Response(status, new String(answer, StandardCharsets.UTF_8), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n';) {
            if (c < 0) {
                throw new IOException("the connection closed before the answer was complete");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** {@code email,name} then one quoted field of {@code size} bytes, made while it is read (never held whole). */
    static final class SingleFieldCsv extends InputStream {
        private final byte[] head = "email,name\n\"".getBytes(StandardCharsets.US_ASCII);
        private final long size;
        private long position;

        SingleFieldCsv(long size) {
            this.size = size;
        }

        long length() {
            return head.length + size + 2;
        }

        @Override
        public int read() {
            long total = length();
            if (position >= total) {
                return -1;
            }
            long at = position++;
            if (at < head.length) {
                return head[(int) at];
            }
            return at < head.length + size ? 'a' : at == total - 2 ? '"' : '\n';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            for (int c; n < len && (c = read()) >= 0; n++) {
                b[off + n] = (byte) c;
            }
            return n == 0 && len > 0 ? -1 : n;
        }
    }
}
