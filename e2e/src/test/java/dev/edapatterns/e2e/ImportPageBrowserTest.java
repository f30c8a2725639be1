package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.progress.ProgressType;
import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.HeadlessChromium;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * Pattern 2 end to end, as a user does it: broker + import-app + notify-app as real processes; in headless Chromium
 * the importer logs in through the page's form (one login for the page and its calls to import-app), sees their
 * recent imports, uploads a generated 10,000-row CSV with bad rows (198 jobs, imported one per transaction), and while
 * the import is mid-way reloads the page (it lists the import again, gets a fresh channel token and resumes after the
 * last event it applied) and then has notify-app killed and restarted (the page reconnects with backoff and resumes
 * likewise). The page ends at the exact counts having applied each job's PROCESSED event exactly once (jobs done
 * 1..n, none skipped), and does not reconnect once the import is COMPLETED. "Mid-way" is held, not hoped for:
 * import-app is paused (SIGSTOP) while the page reloads and while notify-app restarts, and resumed after.
 */
@ResourceLock(BrokerGroups.IMPORT_APP)
class ImportPageBrowserTest {

    private static final int JOB_ROWS = 50;

    @Test
    void pageFollowsAnImportAcrossAReloadAndANotifyRestartToItsExactCounts() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(); // first: skips (or fails under CI) before starting anything
        Path dir = Files.createDirectories(Path.of("target", "e2e"));
        ContactsCsv csv = ContactsCsv.generate(dir.resolve("contacts-10k.csv"), 10_000, 97);
        String kafka = TestKafka.bootstrapServers();
        int notifyPort = KafkaBroker.freePort();
        Map<String, String> notifyConfig = Map.of("kafka.bootstrap.servers", kafka, "eventkit.instance-id", "e2e");
        RunningApp notifyApp = null;
        // import-app allows CORS from the page's origin only: tell it where the page lives. Small jobs, one per
        // transaction, so the import has many steps to be caught in the middle of. Its sessions outlast its pauses (its
        // static members are removed when it stops, so no later test waits for them)
        try (RunningApp importApp = RunningApp.start("import-app", KafkaBroker.freePort(), Map.of(
                "kafka.bootstrap.servers", kafka, "eventkit.instance-id", "e2e",
                "kafka.session.timeout.ms", "30000", "kafka.heartbeat.interval.ms", "3000",
                "import.jobs.max-rows", String.valueOf(JOB_ROWS), "import.importer.workers", "1",
                "import.importer.max-poll-jobs", "1",
                "quarkus.http.cors.origins", "http://localhost:" + notifyPort))) {
            Map<String, String> withImportApp = new java.util.HashMap<>(notifyConfig);
            withImportApp.put("notify.page.import-url", importApp.url());
            notifyApp = RunningApp.start("notify-app", notifyPort, withImportApp);
            browser.get(notifyApp.url() + "/");
            // anonymous: sent to the login form, and back to the page once logged in
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("/login.html"));
            browser.findElement(By.id("username")).sendKeys(Http.IMPORTER);
            browser.findElement(By.id("password")).sendKeys(Http.password(Http.IMPORTER));
            browser.findElement(By.id("login")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#imports[data-loaded]")).isEmpty());
            Set<String> listedBefore = importIds(browser); // imports of earlier test classes, as this user
            browser.findElement(By.id("file")).sendKeys(csv.file().toAbsolutePath().toString());
            browser.findElement(By.id("import")).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> importIds(browser).size() > listedBefore.size());
            String importId = importIds(browser).stream().filter(id -> !listedBefore.contains(id)).findFirst().orElseThrow();
            String channel = Http.as(Http.IMPORTER).get(importApp.url() + "/imports/" + importId).json().path("channelId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> Integer.parseInt(data(browser, importId, "jobs-done", "0")) >= 1);
            ImporterCluster.log("page: import %s under way, %s jobs done", importId, data(browser, importId, "jobs-done", "0"));

            // a reload mid-import: the page lists the import again and resumes after the last event it applied
            long lastSeq;
            importApp.pause();
            try {
                assertFalse(finalOn(channel), "the import is mid-way as the page reloads");
                lastSeq = Long.parseLong(data(browser, importId, "last-seq", "-1"));
                browser.navigate().refresh(); // its list waits for import-app meanwhile
            } finally {
                importApp.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "open".equals(data(browser, importId, "socket", "")));
            long resumedAfter = Long.parseLong(data(browser, importId, "resumed-after", "-1"));
            assertTrue(resumedAfter >= lastSeq && lastSeq >= 0, "resumed after " + resumedAfter + ", not from the start");
            ImporterCluster.log("page: reloaded, resumed after seq %d, %s jobs done", resumedAfter,
                    data(browser, importId, "jobs-done", "0"));

            // notify-app killed and restarted mid-import: the page reconnects (backoff, fresh token) and resumes
            importApp.pause();
            try {
                assertFalse(finalOn(channel), "the import is mid-way as notify-app restarts");
                // killed, not closed: closing removes the static members of instance "e2e", import-app's too
                notifyApp.kill();
                notifyApp = RunningApp.start("notify-app", notifyPort, withImportApp);
            } finally {
                importApp.resume();
            }
            ImporterCluster.log("notify-app restarted; the page shows %s jobs done", data(browser, importId, "jobs-done", "0"));

            WebElement row = browser.findElement(By.cssSelector("[data-import-id='" + importId + "']"));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> row.findElement(By.cssSelector(".state")).getText().contains("COMPLETED"));
            ImporterCluster.log("page: COMPLETED");
            WebElement bar = row.findElement(By.cssSelector(".bar"));
            assertEquals(bar.getAttribute("max"), bar.getAttribute("value"), "progress bar at 100%");
            // default job limits (5,000 rows, 512 KB) would make two jobs; here each job is one transaction of 50 rows
            assertTrue(Integer.parseInt(bar.getAttribute("max")) >= 2, "several jobs: " + bar.getAttribute("max"));
            int jobs = Integer.parseInt(bar.getAttribute("max"));
            assertEquals((csv.imported() + JOB_ROWS - 1) / JOB_ROWS, jobs, "jobs of " + JOB_ROWS + " rows");
            assertEquals(String.valueOf(csv.imported()), row.findElement(By.cssSelector(".rows-imported")).getText().trim());
            assertEquals(String.valueOf(csv.rejected()), row.findElement(By.cssSelector(".rows-rejected")).getText().trim());
            assertEquals(IntStream.rangeClosed(1, jobs).boxed().toList(), appliedJobs(browser, importId),
                    "each job's PROCESSED event applied once and none skipped, across the reload and the restart");
            assertTrue(Integer.parseInt(data(browser, importId, "connects", "0")) >= 2, "reconnected after the restart");
            await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(data(browser, importId, "socket", "")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !row.findElements(By.cssSelector(".errors li")).isEmpty());
            assertEquals(Math.min(100, csv.rejected()), row.findElements(By.cssSelector(".errors li")).size(),
                    "the first row errors are listed");
            Files.write(dir.resolve("page.png"), browser.getScreenshotAs(OutputType.BYTES)); // for humans and CI artifacts
        } finally {
            try {
                if (notifyApp != null) {
                    notifyApp.close();
                }
            } finally {
                browser.quit();
            }
        }
    }

    /** The imports the page shows, by id. */
    private static Set<String> importIds(ChromeDriver browser) {
        return browser.findElements(By.cssSelector("[data-import-id]")).stream().map(e -> e.getAttribute("data-import-id"))
                .collect(Collectors.toSet());
    }

    /** A {@code data-} attribute of the import's element, or {@code absent} (no such element or attribute yet). */
    private static String data(ChromeDriver browser, String importId, String name, String absent) {
        List<WebElement> rows = browser.findElements(By.cssSelector("[data-import-id='" + importId + "']"));
        String value = rows.isEmpty() ? null : rows.get(0).getAttribute("data-" + name);
        return value == null || value.isEmpty() ? absent : value;
    }

    /** The jobs-done counts of the PROCESSED events the page applied, in the order applied. */
    private static List<Integer> appliedJobs(ChromeDriver browser, String importId) {
        return Arrays.stream(data(browser, importId, "applied-jobs", "").split(",")).filter(s -> !s.isEmpty())
                .map(Integer::valueOf).toList();
    }

    /** Whether the channel has a committed COMPLETED or FAILED event: the import is over. */
    private static boolean finalOn(String channel) {
        return TopicRecords.readCommitted(Topics.PROGRESS).stream().anyMatch(r -> channel.equals(r.key())
                && (r.value().type() == ProgressType.COMPLETED || r.value().type() == ProgressType.FAILED));
    }
}
