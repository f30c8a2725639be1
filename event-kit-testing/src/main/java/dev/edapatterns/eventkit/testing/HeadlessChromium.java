package dev.edapatterns.eventkit.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium from the system packages ({@code apt-get install chromium chromium-driver}); Selenium never
 * downloads a browser or driver. Missing Chromium skips the test on a developer machine but <b>fails</b> it when
 * {@code CI=true}: CI installs it, so its absence there is a broken build, not a reason to skip.
 */
public final class HeadlessChromium {

    public static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    public static ChromeDriver start() {
        requireInstalled(CHROMIUM, CHROMEDRIVER, "true".equalsIgnoreCase(System.getenv("CI")));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Aborts (skips) the calling test when the browser is missing, or fails it when {@code ci}. */
    static void requireInstalled(Path chromium, Path chromedriver, boolean ci) {
        if (Files.isExecutable(chromium) && Files.isExecutable(chromedriver)) {
            return;
        }
        String problem = "Chromium browser tests need " + chromium + " and " + chromedriver
                + " (apt-get install -y chromium chromium-driver)";
        if (ci) {
            throw new AssertionError(problem + " -- CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(problem);
    }
}
