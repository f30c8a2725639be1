package dev.edapatterns.eventkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smallrye.jwt.build.Jwt;

/**
 * A small OIDC provider for the code-flow tests, on 127.0.0.1: discovery, JWKS, authorize, token and end-session
 * endpoints, the ID and access tokens signed with an RSA key made for the run. It logs in whoever the test names on
 * the authorize request ({@code user} and {@code roles} query parameters, in place of a login form) and redirects
 * back with a one-time code; the token endpoint takes the code with the client's secret (HTTP Basic) and answers
 * tokens shaped like Keycloak's: {@code preferred_username} in both, the roles in the access token's
 * {@code realm_access.roles}. {@link #forgeTokens(boolean)} signs with another key under the same key id, as a forger
 * would.
 */
public final class TestOidcProvider implements AutoCloseable {

    static final String REALM_PATH = "/realms/eda";
    static final String AUTHORIZE_PATH = REALM_PATH + "/protocol/openid-connect/auth";
    static final String TOKEN_PATH = REALM_PATH + "/protocol/openid-connect/token";
    static final String JWKS_PATH = REALM_PATH + "/protocol/openid-connect/certs";
    static final String LOGOUT_PATH = REALM_PATH + "/protocol/openid-connect/logout";
    private static final String KEY_ID = "test-key";
    /** The audience the access tokens carry (Keycloak: an audience mapper on the client). */
    static final String API_AUDIENCE = "eda-patterns";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final String clientId;
    private final String clientSecret;
    private final KeyPair keys = rsaKeyPair();
    private final KeyPair forgerKeys = rsaKeyPair();
    private final Map<String, Login> codes = new ConcurrentHashMap<>();
    private final Map<String, Login> refreshTokens = new ConcurrentHashMap<>();
    private volatile boolean forge;

    private record Login(String user, List<String> roles, String nonce) {
    }

    public TestOidcProvider(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext(REALM_PATH + "/.well-known/openid-configuration", this::discovery);
        server.createContext(JWKS_PATH, this::jwks);
        server.createContext(AUTHORIZE_PATH, this::authorize);
        server.createContext(TOKEN_PATH, this::token);
        server.createContext(LOGOUT_PATH, this::logout);
        server.start();
    }

    /** The issuer ({@code iss} of every token, the base of the discovery document). */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + REALM_PATH;
    }

    public String authorizationEndpoint() {
        return issuer() + AUTHORIZE_PATH.substring(REALM_PATH.length());
    }

    public String endSessionEndpoint() {
        return issuer() + LOGOUT_PATH.substring(REALM_PATH.length());
    }

    /** From now on the tokens are signed with a key the issuer never published (same key id), or again with its own. */
    public void forgeTokens(boolean forged) {
        this.forge = forged;
    }

    /**
     * The authorize request the app redirected the browser to, with the user who "logs in" at the provider and their
     * realm roles.
     */
    public static String asUser(String authorizeUrl, String user, String... roles) {
        return authorizeUrl + "&user=" + encode(user) + "&roles=" + encode(String.join(",", roles));
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String issuer = issuer();
        String base = issuer.substring(0, issuer.length() - REALM_PATH.length());
        json(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + base + AUTHORIZE_PATH
                + "\",\"token_endpoint\":\"" + base + TOKEN_PATH + "\",\"jwks_uri\":\"" + base + JWKS_PATH
                + "\",\"end_session_endpoint\":\"" + base + LOGOUT_PATH
                + "\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"]"
                + ",\"id_token_signing_alg_values_supported\":[\"RS256\"]"
                + ",\"token_endpoint_auth_methods_supported\":[\"client_secret_basic\",\"client_secret_post\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        json(exchange, 200, "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + KEY_ID
                + "\",\"n\":\"" + base64Url(key.getModulus().toByteArray()) + "\",\"e\":\""
                + base64Url(key.getPublicExponent().toByteArray()) + "\"}]}");
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!clientId.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
                || query.get("redirect_uri") == null || query.get("user") == null) {
            json(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        String roles = query.getOrDefault("roles", "");
        codes.put(code, new Login(query.get("user"), roles.isEmpty() ? List.of() : Arrays.asList(roles.split(",")),
                query.get("nonce")));
        String redirect = query.get("redirect_uri");
        redirect(exchange, redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code
                + (query.get("state") == null ? "" : "&state=" + encode(query.get("state"))));
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!authenticatedClient(exchange, body)) {
            json(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Login login = switch (body.getOrDefault("grant_type", "")) {
            case "authorization_code" -> codes.remove(body.getOrDefault("code", ""));
            case "refresh_token" -> refreshTokens.get(body.getOrDefault("refresh_token", ""));
            default -> null;
        };
        if (login == null) {
            json(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String refreshToken = UUID.randomUUID().toString();
        refreshTokens.put(refreshToken, login);
        json(exchange, 200, "{\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\"" + idToken(login)
                + "\",\"access_token\":\"" + accessToken(login) + "\",\"refresh_token\":\"" + refreshToken + "\"}");
    }

    private void logout(HttpExchange exchange) throws IOException {
        String back = form(exchange.getRequestURI().getRawQuery()).get("post_logout_redirect_uri");
        if (back == null) {
            json(exchange, 200, "{}");
        } else {
            redirect(exchange, back);
        }
    }

    private boolean authenticatedClient(HttpExchange exchange, Map<String, String> body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            return pair.equals(clientId + ":" + clientSecret);
        }
        return clientId.equals(body.get("client_id")) && clientSecret.equals(body.get("client_secret"));
    }

    private String idToken(Login login) {
        var claims = Jwt.issuer(issuer()).subject(subject(login)).audience(clientId).preferredUserName(login.user())
                .claim("azp", clientId).expiresIn(300);
        if (login.nonce() != null) {
            claims.claim("nonce", login.nonce());
        }
        return claims.jws().keyId(KEY_ID).sign((forge ? forgerKeys : keys).getPrivate());
    }

    private String accessToken(Login login) {
        return Jwt.issuer(issuer()).subject(subject(login)).audience(Set.of(API_AUDIENCE)).preferredUserName(login.user())
                .claim("azp", clientId).claim("realm_access", Map.of("roles", login.roles())).expiresIn(300)
                .jws().keyId(KEY_ID).sign((forge ? forgerKeys : keys).getPrivate());
    }

    /** Keycloak's subject is an opaque id, not the user name: the principal must come from preferred_username. */
    private static String subject(Login login) {
        return UUID.nameUUIDFromBytes(login.user().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
            in.readAllBytes();
            out.write(bytes);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Unsigned big-endian bytes (a JWK's n and e), without the sign byte BigInteger adds. */
    private static String base64Url(byte[] twosComplement) {
        byte[] bytes = twosComplement.length > 1 && twosComplement[0] == 0
                ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a logged-out browser is sent back to, as the end-session request names it. */
    public static String postLogoutRedirect(String endSessionLocation) {
        return form(URI.create(endSessionLocation).getRawQuery()).get("post_logout_redirect_uri");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
