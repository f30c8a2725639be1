package dev.edapatterns.eventkit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class HeadlessChromiumTest {

    @TestHTTPResource("/kit-test.html")
    URL page;

    @Test
    void missingBrowserFailsUnderCiAndSkipsElsewhere() {
        Path nowhere = Path.of("/nonexistent/chromium");
        AssertionError ci = assertThrows(AssertionError.class,
                () -> HeadlessChromium.requireInstalled(nowhere, HeadlessChromium.CHROMEDRIVER, true));
        assertTrue(ci.getMessage().contains("CI=true"), ci.getMessage());
        assertThrows(TestAbortedException.class,
                () -> HeadlessChromium.requireInstalled(nowhere, HeadlessChromium.CHROMEDRIVER, false));
    }

    @Test
    void drivesAPageServedByTheApp() {
        ChromeDriver driver = HeadlessChromium.start();
        try {
            driver.get(page.toString());
            assertEquals("kit ready", driver.getTitle(), "scripts run");
            driver.findElement(By.id("go")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(ExpectedConditions.textToBe(By.id("out"), "clicked 3"));
        } finally {
            driver.quit();
        }
    }
}
