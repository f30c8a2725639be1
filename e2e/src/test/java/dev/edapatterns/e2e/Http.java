package dev.edapatterns.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.deploy.AppSecrets;

/**
 * The few HTTP calls the process tests make, with JDK's client (the apps run as processes, not in this JVM):
 * anonymous ({@link #get}, {@link #post}) or as one of the shop's users ({@link #as}, HTTP Basic with the password
 * {@link RunningApp} gave the app).
 */
final class Http {

    record Response(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    /** Calls as one user of the apps' prod realm: {@code Http.as("importer").post(...)}. */
    record User(String name) {
        Response get(String url) {
            return send(auth(HttpRequest.newBuilder(URI.create(url))).GET());
        }

        Response post(String url, String contentType, String body, String... headers) {
            return post(url, contentType, BodyPublishers.ofString(body), headers);
        }

        /** With a body made while it is sent (e.g. 100 MB generated on the fly). */
        Response post(String url, String contentType, HttpRequest.BodyPublisher body, String... headers) {
            return send(withHeaders(auth(HttpRequest.newBuilder(URI.create(url))), headers).header("Content-Type", contentType)
                    .POST(body));
        }

        Response put(String url, String json) {
            return send(auth(HttpRequest.newBuilder(URI.create(url))).header("Content-Type", "application/json")
                    .PUT(BodyPublishers.ofString(json)));
        }

        Response delete(String url) {
            return send(auth(HttpRequest.newBuilder(URI.create(url))).DELETE());
        }

        /** The {@code Authorization} header value, for clients other than this one (e.g. a WebSocket handshake). */
        String authorization() {
            return AppSecrets.basicAuthorization(name);
        }

        private HttpRequest.Builder auth(HttpRequest.Builder request) {
            return request.header("Authorization", authorization());
        }
    }

    /** The users of the prod realm (the apps run packaged, in the prod profile). */
    static final String ADMIN = AppSecrets.ADMIN;
    static final String IMPORTER = AppSecrets.IMPORTER;
    static final String CRM = AppSecrets.CRM;
    static final String CUSTOMER = AppSecrets.CUSTOMER;

    /** Longest wait for an answer: a request that takes longer counts as a hang. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** {@code admin}, {@code importer}, {@code crm} or {@code alice@example.com}. */
    static User as(String user) {
        password(user); // fails for a user the apps do not know
        return new User(user);
    }

    /**
     * The password the apps started by {@link RunningApp} have for a user (their {@code EDA_<ROLE>_PASSWORD}
     * environment variable, {@link AppSecrets#PASSWORD_VARIABLES}).
     */
    static String password(String user) {
        return AppSecrets.testPassword(user);
    }

    static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** {@code headers}: further request headers as name, value, name, value... */
    static Response post(String url, String contentType, String body, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(url)), headers).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** With any user name and password (e.g. a wrong one); {@link #as} for the apps' users. */
    static Response put(String url, String user, String password, String json) {
        return send(basic(HttpRequest.newBuilder(URI.create(url)), user, password).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json)));
    }

    static Response delete(String url, String user, String password) {
        return send(basic(HttpRequest.newBuilder(URI.create(url)), user, password).DELETE());
    }

    private static HttpRequest.Builder basic(HttpRequest.Builder request, String user, String password) {
        return request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(TIMEOUT).build(), BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
