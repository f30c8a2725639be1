package dev.edapatterns.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.AppSecrets;

/**
 * P7 (c): the read model's queries as crm, one request at a time, each kind {@code requests} times after a warm-up of
 * half that (a fresh JVM answering): p50/p99 of the whole request (HTTP on localhost included). Lists follow {@code next} for up to
 * {@link #PAGES} pages, then start over with the next filter value: the keyset walks are what a client does.
 */
final class ProjectionQueries {

    static final int PAGES = 20;

    private final HttpClient http;
    private final String base;
    private final List<String> emails;
    private final int requests;
    private final Random random = new Random(7);

    ProjectionQueries(HttpClient http, String base, List<String> emails, int requests) {
        this.http = http;
        this.base = base;
        this.emails = emails;
        this.requests = requests;
    }

    /** Per query: p50Ms, p99Ms, meanRows, and the index the migration declares for it. */
    Map<String, Map<String, Object>> measure() throws IOException, InterruptedException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put("GET /customers?limit=50 (+ next)", pages(n -> "", "customers_v1 primary key (email COLLATE \"C\")"));
        out.put("GET /customers?country=&limit=50 (+ next)", pages(
                n -> "&country=" + ProjectionBenchmark.COUNTRIES[n % ProjectionBenchmark.COUNTRIES.length],
                "customers_v1_country_email (country, email)"));
        out.put("GET /customers?q=<first name>&limit=50 (+ next)", pages(
                n -> "&q=" + ProjectionBenchmark.FIRST_NAMES[n % ProjectionBenchmark.FIRST_NAMES.length],
                "primary key (email LIKE prefix) OR customers_v1_name_prefix (lower(name) text_pattern_ops)"));
        out.put("GET /customers/{email}/orders (no orders)", timed(i -> {
            String email = emails.get(random.nextInt(emails.size()));
            return "/customers/" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "/orders";
        }, "order_history_v1_customer (customer_id, checked_out_at DESC, order_id DESC)"));
        return out;
    }

    /** Keyset walks: {@code filter(n)} for the n-th walk, {@link #PAGES} pages each (fewer when the list ends). */
    private Map<String, Object> pages(IntFunction<String> filter, String index) throws IOException, InterruptedException {
        String[] next = { null };
        int[] walk = { 0 };
        int[] page = { 0 };
        return timed(i -> {
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

    private Map<String, Object> timed(IntFunction<String> path, String index) throws IOException, InterruptedException {
        return timed(path, body -> { }, index);
    }

    private Map<String, Object> timed(IntFunction<String> path, java.util.function.Consumer<JsonNode> onBody, String index)
            throws IOException, InterruptedException {
        int warmup = Math.max(10, requests / 2);
        double[] ms = new double[requests];
        long rows = 0;
        for (int i = 0; i < warmup + requests; i++) {
            String p = path.apply(i);
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(BenchApp.as(AppSecrets.CRM, base + p).build(), HttpResponse.BodyHandlers.ofString());
            long t1 = System.nanoTime();
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + p + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode body = Json.mapper().readTree(r.body());
            onBody.accept(body);
            if (i >= warmup) {
                ms[i - warmup] = (t1 - t0) / 1e6;
                rows += body.get("items").size();
            }
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50Ms", percentile(ms, 0.50));
        m.put("p99Ms", percentile(ms, 0.99));
        m.put("maxMs", ms[ms.length - 1]);
        m.put("meanRows", (double) rows / requests);
        m.put("index", index);
        return m;
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
