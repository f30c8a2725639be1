package dev.edapatterns.billing.admin;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.calls;
import static dev.edapatterns.billing.BillingTestSupport.charges;
import static dev.edapatterns.billing.BillingTestSupport.subscribe;
import static dev.edapatterns.billing.BillingTestSupport.user;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.charge;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.chargeIds;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.failPostings;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.releasePostings;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.send;
import static dev.edapatterns.billing.ledger.LedgerTestSupport.userOn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.edapatterns.billing.TestClock;
import dev.edapatterns.billing.provider.ProviderCall;
import dev.edapatterns.billing.provider.ProviderSwitches;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.billing.renewals.RenewalScheduler;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.HeadlessChromium;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.common.mapper.TypeRef;

/**
 * A real browser logs in through the form, skips a blocked ledger user's charge (another user's charge of its
 * partition was applied meanwhile) and redrives a declined renewal from the DLQ (charged once: the provider's call log says so); a new
 * login sees who redrove it.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class DashboardBrowserTest {

    private static final LocalDate DUE = LocalDate.parse("2030-01-10");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL base;
    @Inject
    RenewalScheduler scheduler;
    @Inject
    SimulatedPaymentProvider provider;
    @Inject
    TestClock clock;

    private String stuck;

    @AfterEach
    void reset() {
        clock.reset();
        provider.switches(ProviderSwitches.healthy());
        if (stuck != null) {
            releasePostings(stuck);
        }
    }

    @Test
    void skipAndRedriveFromTheDashboard() {
        ChromeDriver browser = HeadlessChromium.start(); // first: skips (or fails under CI) before starting anything
        try {
            // a blocked ledger user (its postings fail) and another user's charge on the same partition
            stuck = userOn(2, "dash-stuck");
            String next = userOn(2, "dash-next");
            failPostings(stuck);
            RecordMetadata blocked = send(charge(stuck, "d1", "5.00"));
            String nextCharge = charge(next, "d2", "7.00").chargeId();
            send(charge(next, "d2", "7.00"));

            // a declined renewal: straight to the DLQ
            String card = "tok_dash_" + System.nanoTime();
            String subscriber = user("dash-dlq");
            provider.switches(new ProviderSwitches(0, false, Set.of(card)));
            subscribe(subscriber, "ZZ", card, DUE);
            scheduler.tick();
            Map<String, Object> letter = await().atMost(WAIT).until(() -> deadLetter(subscriber), l -> l != null);
            provider.switches(ProviderSwitches.healthy());

            // anonymous: the page sends the browser to the login form, which brings it back to the page
            logIn(browser);

            // Skip: the row disappears; the other user's charge did not wait for it
            String row = blocked.partition() + "-" + blocked.offset();
            await().atMost(WAIT).until(() -> !browser.findElements(By.id("skip-" + row)).isEmpty());
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> stuck.equals(browser.findElement(By.id("blocked-" + row)).getDomAttribute("data-key")));
            await().atMost(WAIT).until(() -> chargeIds(next).equals(List.of(nextCharge)));
            click(browser, "skip-" + row);
            await().atMost(WAIT).until(() -> browser.findElements(By.id("blocked-" + row)).isEmpty());
            assertEquals(List.of(), chargeIds(stuck));

            // Redrive: the row shows as redriven and the renewal is charged, once
            String position = letter.get("partition") + "-" + letter.get("offset");
            await().atMost(WAIT).until(() -> !browser.findElements(By.id("redrive-" + position)).isEmpty());
            assertEquals("0", "" + charges(provider, subscriber).size());
            click(browser, "redrive-" + position);
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> browser.findElement(By.id("dlq-" + position)).getText().contains("redriven"));
            await().atMost(WAIT).until(() -> charges(provider, subscriber).size() == 1);
            await().atMost(WAIT).ignoreExceptions()
                    .until(() -> Integer.parseInt(browser.findElement(By.id("deadLettered")).getText()) >= 1);

            // the bulk button leaves it alone (redriven before): no second copy, the call log has one decline and one
            // charge
            CommittedRecords beforeBulk = CommittedRecords.snapshot();
            click(browser, "redrive-all");
            await().atMost(WAIT).until(() -> browser.findElement(By.id("bulk")).getText().contains("redriven before"));
            beforeBulk.newRecordsWhenSettled();
            assertEquals(List.of(), beforeBulk.newRecordList().stream().filter(r -> r.topic().equals("billing.renewals")
                    && r.key() != null && subscriber.equals(new String(r.key(), StandardCharsets.UTF_8))).toList());
            assertEquals(List.of(ProviderCall.Outcome.DECLINED, ProviderCall.Outcome.CHARGED),
                    calls(provider, subscriber).stream().map(ProviderCall::outcome).toList());
            assertEquals(List.of("DECLINED", "CHARGED"), asAdmin().get("/admin/provider/calls?userId=" + subscriber)
                    .then().statusCode(200).extract().jsonPath().getList("outcome", String.class));

            // a new login (cookies and the tab's storage gone) sees who redrove it: the state comes from the server
            browser.executeScript("sessionStorage.clear(); localStorage.clear();");
            browser.manage().deleteAllCookies();
            logIn(browser);
            await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("redriven-" + position)).getText()
                    .startsWith("redriven by admin at "));
            assertTrue(browser.findElements(By.id("redrive-" + position)).isEmpty(), "no plain Redrive button");
        } finally {
            browser.quit();
        }
    }

    /** Opens the page without a session: sent to the login form, which brings the browser back to the page. */
    private void logIn(ChromeDriver browser) {
        browser.get(base + "admin");
        assertTrue(browser.getCurrentUrl().endsWith("/login.html"), browser.getCurrentUrl());
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("admin");
        browser.findElement(By.id("login")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/admin"));
    }

    /** Clicks the button once it is there (the page re-renders a table when its data changed). */
    private static void click(ChromeDriver browser, String id) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            browser.findElement(By.id(id)).click();
            return true;
        });
    }

    private static Map<String, Object> deadLetter(String key) {
        return asAdmin().get("/admin/dlq?limit=500").then().statusCode(200)
                .extract().as(new TypeRef<List<Map<String, Object>>>() {
                }).stream().filter(l -> key.equals(l.get("key"))).findFirst().orElse(null);
    }
}
