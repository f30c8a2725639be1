package dev.edapatterns.billing.admin;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static dev.edapatterns.billing.BillingTestSupport.asClerk;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.provider.ProviderSwitches;
import dev.edapatterns.billing.provider.SimulatedPaymentProvider;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /admin/** needs role billing-admin: the API refuses anonymous callers with 401 problem+json and a Basic challenge,
 * callers without the role with 403 problem+json, and changes nothing; the dashboard page sends a browser to the
 * login form. Public endpoints stay public.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class AdminSecurityTest {

    @Inject
    SimulatedPaymentProvider provider;

    @AfterEach
    void reset() {
        provider.switches(ProviderSwitches.healthy());
    }

    @Test
    void anonymousApiCallsGet401ProblemsWithABasicChallenge() {
        for (String path : new String[] { "/admin/api/summary", "/admin/blocked", "/admin/dlq", "/admin/provider/switches",
                "/admin/provider/calls", "/admin/ledger/outages" }) {
            given().accept("application/json").get(path).then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Basic realm=\"billing-app\"")
                    .body("status", equalTo(401)).body("instance", equalTo(path));
        }
        // a wrong password is no better
        given().auth().preemptive().basic("admin", "wrong").get("/admin/dlq").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void refusedWritesChangeNothing() {
        CommittedRecords before = CommittedRecords.snapshot();
        String switches = "{\"failureRate\":0,\"outage\":true,\"declinedCards\":[]}";
        given().contentType("application/json").body(switches).put("/admin/provider/switches").then().statusCode(401)
                .contentType("application/problem+json");
        asClerk().contentType("application/json").body(switches).put("/admin/provider/switches").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        assertEquals(ProviderSwitches.healthy(), provider.switches());

        given().post("/admin/blocked/billing.charges/0/0/skip").then().statusCode(401).contentType("application/problem+json");
        asClerk().post("/admin/blocked/billing.charges/0/0/skip").then().statusCode(403).contentType("application/problem+json");
        asClerk().post("/admin/dlq/redrive").then().statusCode(403).contentType("application/problem+json");
        asClerk().put("/admin/ledger/outages/someone").then().statusCode(403).contentType("application/problem+json");
        assertEquals(0, before.newRecords(Topics.BILLING_LEDGER_SKIPS.name()));
        assertEquals(0, before.newRecords(Topics.BILLING_RENEWALS.name()));
        assertFalse(asAdmin().get("/admin/ledger/outages").then().statusCode(200).extract().jsonPath()
                .getList("", String.class).contains("someone"));
    }

    @Test
    void theDashboardPageSendsABrowserToTheLoginForm() {
        given().redirects().follow(false).accept("text/html").get("/admin").then().statusCode(302)
                .header("Location", endsWith("/login.html"));
        given().get("/login.html").then().statusCode(200).contentType("text/html");
        // logged in through the form: the page for the role, 403 without it, no session for a wrong password
        given().cookie(FORM_COOKIE, formLogin("admin", "admin")).get("/admin").then().statusCode(200).contentType("text/html");
        given().redirects().follow(false).cookie(FORM_COOKIE, formLogin("clerk", "clerk")).get("/admin").then().statusCode(403);
        assertNull(given().redirects().follow(false).formParam("j_username", "admin").formParam("j_password", "wrong")
                .post("/j_security_check").then().statusCode(401).extract().cookie(FORM_COOKIE));
    }

    @Test
    void theAdminSeesTheCounters() {
        asAdmin().get("/admin/api/summary").then().statusCode(200)
                .body("due", notNullValue()).body("charged", notNullValue()).body("retrying", notNullValue())
                .body("deadLettered", notNullValue()).body("blocked", notNullValue())
                .body("retryLags.keySet()", equalTo(Set.of("billing.renewals_retry_500", "billing.renewals_retry_1000",
                        "billing.renewals_retry_2000")));
    }

    @Test
    void publicEndpointsStayPublic() {
        Management.given().get("/q/health/ready").then().statusCode(200);
        given().get("/timezones/ZZ").then().statusCode(404); // reference data; ZZ has no zones
        // a bad Authorization header does not break a public GET (authentication is not proactive)
        given().header("Authorization", "Basic bm90OnZhbGlk").get("/timezones/ZZ").then().statusCode(404);
        // ledgers are not public any more: SubscriptionsResourceTest.aCustomerActsForItselfOnly
        given().get("/ledger/nobody-" + System.nanoTime()).then().statusCode(401);
    }

    private static final String FORM_COOKIE = "quarkus-credential";

    /** The form login's session cookie. */
    private static String formLogin(String user, String password) {
        String cookie = given().redirects().follow(false).formParam("j_username", user).formParam("j_password", password)
                .post("/j_security_check").then().statusCode(302).extract().cookie(FORM_COOKIE);
        assertNotNull(cookie);
        return cookie;
    }
}
