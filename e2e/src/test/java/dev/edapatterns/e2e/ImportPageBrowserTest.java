package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.HeadlessChromium;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * Pattern 2 end to end, as a user does it: broker + import-app + notify-app as real processes; in headless Chromium
 * the importer logs in through the page's form (one login for the page and its calls to import-app), uploads a
 * generated 10,000-row CSV with bad rows, reloads the page (which asks import-app for a fresh channel token and
 * follows the import again), and sees the exact counts.
 */
@ResourceLock(BrokerGroups.IMPORT_APP)
class ImportPageBrowserTest {

    @Test
    void pageUploadsACsvAndShowsLiveProgressToCompletion() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(); // first: skips (or fails under CI) before starting anything
        Path dir = Files.createDirectories(Path.of("target", "e2e"));
        ContactsCsv csv = ContactsCsv.generate(dir.resolve("contacts-10k.csv"), 10_000, 97);
        String kafka = TestKafka.bootstrapServers();
        int notifyPort = KafkaBroker.freePort();
        // import-app allows CORS from the page's origin only: tell it where the page lives. Fast failover: its aggregate
        // writer is a static member that does not leave the group on exit, so the next test class's import-app waits
        // for its session to time out (6 s instead of Kafka's 45 s)
        try (RunningApp importApp = RunningApp.start("import-app", KafkaBroker.freePort(), Map.of(
                     "kafka.bootstrap.servers", kafka, "eventkit.instance-id", "e2e",
                     "kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"),
                     "kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms"),
                     "quarkus.http.cors.origins", "http://localhost:" + notifyPort));
             RunningApp notifyApp = RunningApp.start("notify-app", notifyPort, Map.of("kafka.bootstrap.servers", kafka,
                     "notify.page.import-url", importApp.url(), "eventkit.instance-id", "e2e"))) {
            browser.get(notifyApp.url() + "/");
            // anonymous: sent to the login form, and back to the page once logged in
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("/login.html"));
            browser.findElement(By.id("username")).sendKeys(Http.IMPORTER);
            browser.findElement(By.id("password")).sendKeys(Http.password(Http.IMPORTER));
            browser.findElement(By.id("login")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("file")).isEmpty());
            browser.findElement(By.id("file")).sendKeys(csv.file().toAbsolutePath().toString());
            browser.findElement(By.id("import")).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.cssSelector("[data-import-id]")).isEmpty());
            String importId = browser.findElement(By.cssSelector("[data-import-id]")).getAttribute("data-import-id");
            // a reload: the page shows the import again and follows it with a fresh token from GET /imports/{id}
            browser.navigate().refresh();
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("[data-import-id]")).stream()
                    .anyMatch(e -> importId.equals(e.getAttribute("data-import-id"))));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                    browser.findElements(By.cssSelector("[data-import-id] .state")).stream()
                            .anyMatch(e -> e.getText().contains("COMPLETED")));
            WebElement row = browser.findElement(By.cssSelector("[data-import-id]"));
            WebElement bar = row.findElement(By.cssSelector(".bar"));
            assertEquals(bar.getAttribute("max"), bar.getAttribute("value"), "progress bar at 100%");
            // default job limits (5,000 rows, 512 KB): each job's transaction holds thousands of contacts
            assertTrue(Integer.parseInt(bar.getAttribute("max")) >= 2, "several jobs: " + bar.getAttribute("max"));
            assertEquals(String.valueOf(csv.imported()), row.findElement(By.cssSelector(".rows-imported")).getText().trim());
            assertEquals(String.valueOf(csv.rejected()), row.findElement(By.cssSelector(".rows-rejected")).getText().trim());
            await().atMost(Duration.ofSeconds(10)).until(() -> !row.findElements(By.cssSelector(".errors li")).isEmpty());
            assertEquals(Math.min(100, csv.rejected()), row.findElements(By.cssSelector(".errors li")).size(),
                    "the first row errors are listed");
            Files.write(dir.resolve("page.png"), browser.getScreenshotAs(OutputType.BYTES)); // for humans and CI artifacts
        } finally {
            browser.quit();
        }
    }
}
