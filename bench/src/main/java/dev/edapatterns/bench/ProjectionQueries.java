package dev.edapatterns.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.AppSecrets;

/**
 * P7 (c): the read model's queries as crm, one request at a time: first all kinds in turn until order-app's JIT has
 * settled ({@link #settleJit}), then each kind {@code requests} times after a warm-up of half that: p50/p99 of the
 * whole request (HTTP on localhost included), with a blocking client and, beside it, the JDK {@link HttpClient}. Lists follow {@code next} for up to
 * {@link #PAGES} pages, then start over with the next filter value: the keyset walks are what a client does.
 */
final class ProjectionQueries {

    static final int PAGES = 20;

    /** The warm-up ends once order-app's JIT used at most this share of a core in one window (0.05 CPU s in 2 s). */
    static final double JIT_QUIET = 0.025;
    static final Duration JIT_WINDOW = Duration.ofSeconds(2);

    private final HttpClient jdkClient;
    private final String base;
    private final long appPid;
    private final List<String> emails;
    private final int requests;
    private final double maxSettleSeconds;
    private final Random random = new Random(7);
    private Map<String, Object> warmUp = Map.of();

    ProjectionQueries(String base, long appPid, List<String> emails, int requests, double maxSettleSeconds) {
        this.jdkClient = HttpClient.newHttpClient();
        this.base = base;
        this.appPid = appPid;
        this.emails = emails;
        this.requests = requests;
        this.maxSettleSeconds = maxSettleSeconds;
    }

    /** Per query: p50Ms, p99Ms, meanRows, and the index the migration declares for it ({@link #warmUp()}: how the warm-up ended). */
    Map<String, Map<String, Object>> measure() throws Exception {
        List<Query> kinds = List.of(
                pages("GET /customers?limit=50 (+ next)", n -> "", "customers_vN primary key (email COLLATE \"C\")"),
                pages("GET /customers?country=&limit=50 (+ next)",
                        n -> "&country=" + ProjectionBenchmark.COUNTRIES[n % ProjectionBenchmark.COUNTRIES.length],
                        "customers_vN_country_email (country, email)"),
                pages("GET /customers?q=<first name>&limit=50 (+ next)",
                        n -> "&q=" + ProjectionBenchmark.FIRST_NAMES[n % ProjectionBenchmark.FIRST_NAMES.length],
                        "primary key (email LIKE prefix) OR customers_vN_name_prefix (lower(name) text_pattern_ops)"),
                new Query("GET /customers/{email}/orders (no orders)", i -> {
                    String email = emails.get(random.nextInt(emails.size()));
                    return "/customers/" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "/orders";
                }, body -> { }, "order_history_v1_customer (customer_id, checked_out_at DESC, order_id DESC)"));
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        warmUp = settleJit(kinds);
        for (Query q : kinds) {
            Map<String, Object> m = timed(q, this::blockingGet);
            Map<String, Object> jdk = timed(q, this::jdkClientGet);
            m.put("jdkHttpClientP50Ms", jdk.get("p50Ms"));
            m.put("jdkHttpClientP99Ms", jdk.get("p99Ms"));
            out.put(q.name(), m);
        }
        return out;
    }

    Map<String, Object> warmUp() {
        return warmUp;
    }

    /**
     * Steady state first: all kinds in turn, in rounds of {@link #JIT_WINDOW}, until order-app's JIT compiler threads
     * used at most {@link #JIT_QUIET} of a core in one (or {@code maxSettleSeconds} passed; at least one round of one
     * request per kind and client). A fresh JVM compiles the request path for tens of seconds; on 2 cores those
     * compilations delay the requests they run beside, which is warm-up, not the queries' latency.
     */
    private Map<String, Object> settleJit(List<Query> kinds) throws Exception {
        long deadline = System.nanoTime() + (long) (maxSettleSeconds * 1e9);
        long[] sent = { 0 };
        Map<String, Object> m = new JitWarmUp("query warm-up round", List.of(appPid), JIT_QUIET, maxSettleSeconds, 1).run(n -> {
            long roundEnd = Math.min(System.nanoTime() + JIT_WINDOW.toNanos(), deadline);
            do {
                for (Query q : kinds) {
                    send(q, (int) sent[0], this::blockingGet);
                    send(q, (int) sent[0]++, this::jdkClientGet);
                }
            } while (System.nanoTime() < roundEnd);
        });
        m.put("requests", sent[0]);
        return m;
    }

    /** Keyset walks: {@code filter(n)} for the n-th walk, {@link #PAGES} pages each (fewer when the list ends). */
    private static Query pages(String name, IntFunction<String> filter, String index) {
        String[] next = { null };
        int[] walk = { 0 };
        int[] page = { 0 };
        return new Query(name, i -> {
            if (page[0] == PAGES || (page[0] > 0 && next[0] == null)) {
                walk[0]++;
                page[0] = 0;
                next[0] = null;
            }
            page[0]++;
            String after = next[0] == null ? "" : "&after=" + URLEncoder.encode(next[0], StandardCharsets.UTF_8);
            return "/customers?limit=50" + filter.apply(walk[0]) + after;
        }, body -> {
            JsonNode n = body.get("next");
            next[0] = n == null || n.isNull() ? null : n.asText();
        }, index);
    }

    private Map<String, Object> timed(Query q, Client client) throws IOException, InterruptedException {
        int warmup = Math.max(10, requests / 2);
        for (int i = 0; i < warmup; i++) {
            send(q, i, client);
        }
        double[] ms = new double[requests];
        long rows = 0;
        double jit = BenchMachine.compilerCpuSeconds(appPid);
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            JsonNode body = send(q, warmup + i, client);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            rows += body.get("items").size();
        }
        jit = BenchMachine.compilerCpuSeconds(appPid) - jit;
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50Ms", percentile(ms, 0.50));
        m.put("p99Ms", percentile(ms, 0.99));
        m.put("maxMs", ms[ms.length - 1]);
        m.put("meanRows", (double) rows / requests);
        m.put("appJitCpuSeconds", jit);
        m.put("index", q.index());
        return m;
    }

    /** One request as crm; the answer's body (the clock in {@link #timed} includes reading it as JSON). */
    private JsonNode send(Query q, int i, Client client) throws IOException, InterruptedException {
        JsonNode body = Json.mapper().readTree(client.get(q.path().apply(i)));
        q.onBody().accept(body);
        return body;
    }

    /**
     * The reported figures' client: blocking HTTP/1.1 with keep-alive, the calling thread doing the socket I/O, as a
     * load generator does. The JDK {@link HttpClient} hands each request to its selector thread and the answer to a
     * worker thread: two more thread switches per request on cores the server shares, measured beside as
     * {@code jdkHttpClientP99Ms}.
     */
    private String blockingGet(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestProperty("Authorization", AppSecrets.basicAuthorization(AppSecrets.CRM));
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8); // read whole: the connection is reused
            if (status != 200) {
                throw new IllegalStateException("GET " + path + ": " + status + " " + body);
            }
            return body;
        }
    }

    private String jdkClientGet(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = jdkClient.send(BenchApp.as(AppSecrets.CRM, base + path).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private interface Client {
        String get(String path) throws IOException, InterruptedException;
    }

    /** One kind of query: the n-th request's path, what it takes from each answer (the next page's key), its index. */
    private record Query(String name, IntFunction<String> path, Consumer<JsonNode> onBody, String index) {
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
