package dev.edapatterns.eventkit.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.SecurityProblemMappers;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Cross-site state changes refused, pages not frameable, failed logins slowed down per user and address. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class BrowserGuardsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aCrossSitePostWithTheAdminsCredentialsIsRefusedBeforeItRuns() {
        given().auth().preemptive().basic("admin", "admin").header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site").post("/kit-test/guarded").then()
                .statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo(CrossSiteRequestGuard.CROSS_SITE));
        given().auth().preemptive().basic("admin", "admin").header("Origin", "https://evil.example")
                .post("/kit-test/guarded").then().statusCode(403);
        // the page's own origin, and scripts without browser headers, pass
        String own = CrossSiteRequestGuard.ownOrigin(base);
        given().auth().preemptive().basic("admin", "admin").header("Origin", own).header("Sec-Fetch-Site", "same-origin")
                .post("/kit-test/guarded").then().statusCode(200).body(equalTo("done"));
        given().auth().preemptive().basic("admin", "admin").post("/kit-test/guarded").then().statusCode(200);
    }

    @Test
    void aMethodWithoutAnOwnerIsRefusedToEveryone() {
        given().auth().preemptive().basic("admin", "admin").get("/kit-test/guarded/forgotten").then().statusCode(403);
        given().get("/kit-test/guarded/forgotten").then().statusCode(401);
    }

    @Test
    void answersForbidFraming() {
        given().get("/kit-test.html").then().statusCode(200)
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void repeatedWrongPasswordsAreSlowedDownForThatUserOnly() {
        for (int i = 0; i < 5; i++) {
            given().auth().preemptive().basic("clerk", "wrong").get("/kit-test/guarded").then().statusCode(401);
        }
        // now even the right password waits: the password is not checked at all
        given().auth().preemptive().basic("clerk", "clerk").get("/kit-test/guarded").then()
                .statusCode(429).contentType(startsWith("application/problem+json"))
                .header("Retry-After", "1")
                .body("type", equalTo(SecurityProblemMappers.LOGIN_THROTTLED));
        // another user from the same address is not affected
        given().auth().preemptive().basic("admin", "admin").post("/kit-test/guarded").then().statusCode(200);
        // after the wait, the right password works and forgets the failures
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().preemptive().basic("clerk", "clerk")
                .get("/kit-test/guarded").then().statusCode(200).body(equalTo("seen")));
        given().auth().preemptive().basic("clerk", "wrong").get("/kit-test/guarded").then().statusCode(401);
    }
}
