package dev.edapatterns.eventkit.testing;

import static dev.edapatterns.eventkit.testing.AccessMatrix.password;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import dev.edapatterns.eventkit.errors.SecurityProblemMappers;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Failed logins through an app's login form ({@code POST /j_security_check}) are slowed down per user and client
 * address like those with HTTP Basic (event-kit {@code ThrottledPasswordLogins}), and answered the same way: 429
 * problem+json with Retry-After. The form is authenticated by the HTTP layer outside any resource; this checks the
 * answer a browser gets there, in a {@code @QuarkusTest} of an app with form login.
 */
public final class FormLoginThrottling {

    /** Failures of one user from one address before the next attempt waits (eventkit.login-throttle.free-failures). */
    private static final int FREE_FAILURES = 5;
    /** Another loopback address: Linux routes all of 127/8 to lo, so the app sees a second client address. */
    private static final String ELSEWHERE = "127.0.0.2";

    private FormLoginThrottling() {
    }

    /**
     * After {@value #FREE_FAILURES} wrong passwords for {@code user}, the form answers even the right password with
     * 429 (not checked, no session); {@code other} from the same address, and {@code user} from another address, log
     * in; after the wait {@code user} logs in again, which forgets the failures. Each password is the user name's local
     * part (the dev/test users). Wrong passwords keep the answer they had: 401, no session.
     *
     * @param cookie the form login's session cookie name
     */
    public static void check(String cookie, String user, String other) throws UnknownHostException {
        for (int i = 0; i < FREE_FAILURES; i++) {
            Response failed = post(given(), user, "wrong");
            failed.then().statusCode(401);
            assertNull(failed.getCookie(cookie));
        }
        Response throttled = post(given(), user, password(user));
        throttled.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", "1")
                .body("type", equalTo(SecurityProblemMappers.LOGIN_THROTTLED)).body("status", equalTo(429))
                .body("instance", equalTo("/j_security_check"));
        assertNull(throttled.getCookie(cookie), "no session for a throttled login");

        assertNotNull(session(given(), other, cookie), "another user from the same address");
        InetAddress elsewhere = InetAddress.getByName(ELSEWHERE);
        assertTrue(elsewhere.isLoopbackAddress());
        assertNotNull(session(given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", elsewhere))), user, cookie), "the same user from another address");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNotNull(session(given(), user, cookie)));
        post(given(), user, "wrong").then().statusCode(401);
        assertNotNull(session(given(), user, cookie), "one failure after a success is not throttled");
    }

    private static String session(RequestSpecification request, String user, String cookie) {
        return post(request, user, password(user)).then().statusCode(302).extract().cookie(cookie);
    }

    private static Response post(RequestSpecification request, String user, String password) {
        return request.redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check");
    }
}
