package dev.edapatterns.notify.page;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.FormLoginThrottling;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class PageTest {

    /** The form login's cookie; import-app reads the same one. */
    static final String COOKIE = "eda-progress-session";

    @Test
    void readinessIsUpOnceTheFeedCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'progress feed' }.status", equalTo("UP")));
    }

    @Test
    void configPointsAtImportApp() {
        given().auth().preemptive().basic("importer", "importer").get("/config.json").then()
                .statusCode(200)
                .contentType("application/json")
                .body("importUrl", equalTo("http://localhost:8081"));
        given().cookie(COOKIE, formLogin("importer", "importer")).get("/config.json").then().statusCode(200);
        given().get("/config.json").then().statusCode(401).contentType("application/problem+json");
        given().auth().preemptive().basic("clerk", "clerk").get("/config.json").then().statusCode(403);
    }

    @Test
    void pageAndScriptAreServedToImportersLoggedInByTheForm() {
        String cookie = formLogin("importer", "importer");
        given().cookie(COOKIE, cookie).get("/").then().statusCode(200)
                .body(containsString("id=\"file\""), containsString("id=\"import\""), containsString("app.js"));
        given().cookie(COOKIE, cookie).get("/app.js").then().statusCode(200).body(containsString("/progress/"))
                .body(containsString("credentials: 'include'"), containsString("token="));
        given().cookie(COOKIE, formLogin("admin", "admin")).get("/index.html").then().statusCode(200);
        given().get("/style.css").then().statusCode(200);
    }

    @Test
    void anonymousBrowsersAreSentToTheLoginFormAndOtherRolesRefused() {
        for (String page : new String[] { "/", "/index.html", "/app.js" }) {
            given().redirects().follow(false).get(page).then().statusCode(302)
                    .header("Location", endsWith("/login.html"));
        }
        given().get("/login.html").then().statusCode(200).body(containsString("j_security_check"));
        given().get("/eda-login.js").then().statusCode(200);
        given().redirects().follow(false).cookie(COOKIE, formLogin("clerk", "clerk")).get("/").then().statusCode(403);
        given().redirects().follow(false).cookie(COOKIE, formLogin("crm", "crm")).get("/app.js").then().statusCode(403);
        // a wrong password: no session
        assertNull(given().redirects().follow(false).formParam("j_username", "importer").formParam("j_password", "wrong")
                .post("/j_security_check").then().statusCode(401).extract().cookie(COOKIE));
    }

    /** Failed form logins are slowed down per user and address: 429 problem+json with Retry-After, as with Basic. */
    @Test
    void aThrottledFormLoginAnswers429ForThatUserFromThatAddressOnly() throws Exception {
        FormLoginThrottling.check(COOKIE, "importer2", "importer");
    }

    /** Logs in through the form as the page does; returns the session cookie (shared with import-app). */
    static String formLogin(String user, String password) {
        String cookie = given().redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check").then().statusCode(302).extract().cookie(COOKIE);
        assertNotNull(cookie, "a session cookie");
        return cookie;
    }
}
