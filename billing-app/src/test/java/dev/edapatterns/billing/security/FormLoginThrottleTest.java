package dev.edapatterns.billing.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.SecurityProblemMappers;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Failed logins through the login form are slowed down per user and client address like those with HTTP Basic: once
 * throttled, the form answers 429 problem+json with Retry-After (even for the right password, which is not checked),
 * while another user, or the same user from another address, logs in as usual.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class FormLoginThrottleTest {

    private static final String FORM_COOKIE = "quarkus-credential";
    /** Failures of one user from one address before the next attempt waits (eventkit.login-throttle.free-failures). */
    private static final int FREE_FAILURES = 5;

    @Test
    void aThrottledFormLoginAnswers429AndOnlyForThatUserFromThatAddress() throws Exception {
        for (int i = 0; i < FREE_FAILURES; i++) {
            // a wrong password keeps the form's own answer
            Response failed = formLogin(given(), "bob@example.com", "wrong");
            failed.then().statusCode(401);
            assertNull(failed.getCookie(FORM_COOKIE));
        }
        // now even the right password waits: it is not checked at all, and no session is issued
        Response throttled = formLogin(given(), "bob@example.com", "bob");
        throttled.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", "1")
                .body("type", equalTo(SecurityProblemMappers.LOGIN_THROTTLED)).body("status", equalTo(429))
                .body("instance", equalTo("/j_security_check"));
        assertNull(throttled.getCookie(FORM_COOKIE));

        // another user from the same address is not affected
        assertNotNull(formLogin(given(), "alice@example.com", "alice").then().statusCode(302).extract().cookie(FORM_COOKIE));
        // nor is the same user from another address (another loopback address: Linux routes all of 127/8 to lo)
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2");
        assertTrue(elsewhere.isLoopbackAddress());
        assertNotNull(formLogin(given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.route.local-address", elsewhere))), "bob@example.com", "bob")
                .then().statusCode(302).extract().cookie(FORM_COOKIE));

        // after the wait the right password works again from the first address, and forgets the failures
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNotNull(
                formLogin(given(), "bob@example.com", "bob").then().statusCode(302).extract().cookie(FORM_COOKIE)));
        formLogin(given(), "bob@example.com", "wrong").then().statusCode(401);
        assertNotNull(formLogin(given(), "bob@example.com", "bob").then().statusCode(302).extract().cookie(FORM_COOKIE));
    }

    private static Response formLogin(RequestSpecification request, String user, String password) {
        return request.redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check");
    }
}
