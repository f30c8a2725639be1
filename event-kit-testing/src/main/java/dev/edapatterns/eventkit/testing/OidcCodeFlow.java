package dev.edapatterns.eventkit.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import io.restassured.http.Cookie;
import io.restassured.response.Response;

/**
 * A browser through the OIDC authorization code flow of a page (rest-assured, redirects followed by hand so every
 * hop is checked): the page sends an anonymous browser to the {@link TestOidcProvider}, the provider logs the user
 * in and sends it back with a code, the app exchanges the code and answers with its session cookie.
 */
public final class OidcCodeFlow {

    /** The name every quarkus-oidc session cookie starts with ({@code q_session_<tenant>_<cookie-suffix>}). */
    public static final String SESSION_COOKIE_PREFIX = "q_session";

    private OidcCodeFlow() {
    }

    /** Where the page sent the anonymous browser, and the cookies of the flow's state it set on the way. */
    public record Redirect(String authorizeUrl, Map<String, String> cookies) {
    }

    /** An anonymous browser opens the page: 302 to the provider's authorize endpoint. */
    public static Redirect open(String page, TestOidcProvider provider) {
        Response response = given().redirects().follow(false).accept("text/html").get(page);
        assertEquals(302, response.statusCode(), page + ": an anonymous browser is sent to the issuer");
        String location = response.header("Location");
        assertTrue(location.startsWith(provider.authorizationEndpoint() + "?"), location);
        return new Redirect(location, liveCookies(response));
    }

    /** The user logs in at the provider, which sends the browser back to the page with a code: the app's answer. */
    public static Response comeBack(Redirect redirect, String user, String... roles) {
        // the addresses come encoded already: rest-assured must not encode them again
        Response atProvider = given().urlEncodingEnabled(false).redirects().follow(false).get(TestOidcProvider.asUser(redirect.authorizeUrl(), user, roles));
        assertEquals(302, atProvider.statusCode(), "the provider sends the browser back with a code");
        return given().urlEncodingEnabled(false).redirects().follow(false).cookies(redirect.cookies())
                .get(atProvider.header("Location"));
    }

    /**
     * The whole flow for the page as this user: after the code exchange the app sends the browser back to the page
     * (the code and state removed from its address) with a session cookie, which this answers.
     */
    public static Map<String, String> logIn(String page, TestOidcProvider provider, String user, String... roles) {
        Response back = comeBack(open(page, provider), user, roles);
        assertEquals(302, back.statusCode(), "after the code exchange: back to the page");
        assertFalse(back.header("Location").contains("code="), back.header("Location"));
        Map<String, String> session = sessionCookies(back);
        assertFalse(session.isEmpty(), "a session cookie");
        return session;
    }

    /**
     * The provider signs the ID token with a key it never published (a forger): the app refuses the login with 401 and
     * sets no session cookie.
     */
    public static void refusesAForgedIdToken(String page, TestOidcProvider provider, String user, String... roles) {
        Redirect redirect = open(page, provider);
        provider.forgeTokens(true);
        try {
            Response back = comeBack(redirect, user, roles);
            assertEquals(401, back.statusCode(), "a forged ID token");
            assertEquals(Map.of(), sessionCookies(back), "no session for a forged ID token");
        } finally {
            provider.forgeTokens(false);
        }
    }

    /**
     * {@code GET /logout} with the session: the app removes its session cookies and sends the browser to the provider's
     * end-session endpoint (RP-initiated logout). Returns the path the provider is asked to send the browser back to.
     */
    public static String logOut(Map<String, String> session, TestOidcProvider provider) {
        Response logout = given().redirects().follow(false).cookies(session).get("/logout");
        assertEquals(302, logout.statusCode(), "logout: to the issuer");
        String location = logout.header("Location");
        assertTrue(location.startsWith(provider.endSessionEndpoint() + "?"), location);
        for (String name : session.keySet()) {
            assertTrue(logout.getDetailedCookies().asList().stream().anyMatch(c -> c.getName().equals(name) && c.getMaxAge() == 0),
                    name + " is removed");
        }
        return URI.create(TestOidcProvider.postLogoutRedirect(location)).getPath();
    }

    /** The session cookies an answer set (none: no login). */
    public static Map<String, String> sessionCookies(Response response) {
        Map<String, String> session = new TreeMap<>(liveCookies(response));
        session.keySet().removeIf(name -> !name.startsWith(SESSION_COOKIE_PREFIX));
        return session;
    }

    /** The cookies an answer set, without the ones it removed (empty, expired). */
    private static Map<String, String> liveCookies(Response response) {
        Map<String, String> cookies = new TreeMap<>();
        for (Cookie cookie : response.getDetailedCookies()) {
            if (cookie.getValue() != null && !cookie.getValue().isEmpty() && cookie.getMaxAge() != 0) {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
        return cookies;
    }
}
