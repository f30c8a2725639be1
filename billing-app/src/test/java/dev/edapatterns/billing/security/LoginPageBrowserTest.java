package dev.edapatterns.billing.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.edapatterns.eventkit.testing.HeadlessChromium;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The admin login page says why a login failed: a wrong password, or too many failed logins (the form answers 429
 * with Retry-After then). A failed form login carries no Basic challenge, so the browser opens no dialog of its own.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class LoginPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String WRONG = "Wrong user name or password.";

    @TestHTTPResource("/")
    URI base;

    @Test
    void theLoginPageSaysWhyALoginFailed() {
        given().redirects().follow(false).formParam("j_username", "clerk").formParam("j_password", "wrong")
                .post("/j_security_check").then().statusCode(401).header("WWW-Authenticate", emptyOrNullString());
        ChromeDriver browser = HeadlessChromium.start();
        try {
            browser.get(base + "admin");
            await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/login.html"));
            // wrong passwords until the form is throttled: each failure doubles the wait, so this ends after the first
            // few however slowly the browser types
            String shown = "";
            for (int attempt = 1; attempt <= 10 && !shown.startsWith("Too many"); attempt++) {
                shown = submit(browser, "bob@example.com", "wrong");
                assertTrue(shown.equals(WRONG) || attempt > 5 && shown.startsWith("Too many failed logins"), shown);
            }
            assertTrue(shown.matches("Too many failed logins for this user from here; try again in \\d+ s\\."), shown);
            // once the wait is over, the right password brings the browser to the page it asked for
            await().atMost(WAIT).until(() -> {
                if (!browser.getCurrentUrl().endsWith("/login.html")) {
                    return true;
                }
                submit(browser, "bob@example.com", "bob");
                return false;
            });
            await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/admin"));
            assertEquals(base + "admin", browser.getCurrentUrl());
        } finally {
            browser.quit();
        }
    }

    /** Fills in and sends the form; returns the message the page shows then (empty when it navigated away). */
    private static String submit(ChromeDriver browser, String user, String password) {
        browser.executeScript("document.getElementById('error').hidden = true;"
                + "document.getElementById('error').textContent = '';");
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).clear();
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
        return await().atMost(WAIT).ignoreExceptions().until(
                () -> browser.getCurrentUrl().endsWith("/login.html") ? browser.findElement(By.id("error")).getText() : "",
                text -> !text.isEmpty() || !browser.getCurrentUrl().endsWith("/login.html"));
    }
}
