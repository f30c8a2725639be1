package dev.edapatterns.billing.security;

import static dev.edapatterns.billing.BillingTestSupport.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.isOneOf;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.LogLines;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.KubernetesLoginProfile;
import dev.edapatterns.eventkit.testing.OidcCodeFlow;
import dev.edapatterns.eventkit.testing.TestOidcProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Kubernetes (profile k8s): the dashboard logs in through the issuer's OIDC code flow (a provider run by the test,
 * tokens signed inside it): an anonymous browser goes to the issuer and comes back logged in, with the roles of the
 * access token's {@code realm_access.roles} and {@code preferred_username} as principal; the session cookie carries
 * the page's API calls; a user without billing-admin gets 403, a forged ID token no session (and the log no token);
 * logout ends the session at the issuer. HTTP Basic and bearer-less API calls answer as before.
 */
@QuarkusTest
@TestProfile(KubernetesLoginProfile.class)
@WithTestResource(KafkaBrokerTestResource.class)
class DashboardCodeFlowTest {

    /** From {@link dev.edapatterns.eventkit.testing.OidcProviderTestResource}. */
    TestOidcProvider issuer;

    @Test
    void theDashboardLogsInThroughTheIssuer() {
        Map<String, String> session = OidcCodeFlow.logIn("/admin", issuer, "root", "billing-admin");
        assertTrue(session.containsKey("q_session_Default_billing"), session.keySet().toString());
        given().cookies(session).get("/admin").then().statusCode(200).contentType("text/html");
        // the page's own calls carry the same cookie
        given().cookies(session).get("/admin/api/summary").then().statusCode(200);
    }

    @Test
    void aUserWithoutTheRoleIsForbiddenAndActsAsThemselves() {
        Map<String, String> session = OidcCodeFlow.logIn("/admin", issuer, "carol@example.com", "customer");
        given().redirects().follow(false).cookies(session).get("/admin").then().statusCode(403);
        // the principal is preferred_username (the subject is an opaque id): her own ledger passes the owner check,
        // another customer's does not
        given().cookies(session).get("/ledger/carol@example.com").then().statusCode(isOneOf(404, 503));
        given().cookies(session).get("/ledger/bob@example.com").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
    }

    /**
     * A JWT's header and payload (base64url JSON: "eyJ"...). Not "eyJ" alone: a random key in another line (Quarkus
     * logs the temporary form-login key it makes in a test) once contained those three letters.
     */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

    @Test
    void aForgedIdTokenOpensNoSession() {
        try (LogLines log = LogLines.capture()) {
            OidcCodeFlow.refusesAForgedIdToken("/admin", issuer, "root", "billing-admin");
            // quarkus-oidc logs the refusal with the token in it: the log keeps the line, not the token
            assertFalse(log.containing("ID token verification has failed").isEmpty());
            assertEquals(List.of(), log.matching(JWT));
        }
    }

    @Test
    void logoutEndsTheSessionAtTheIssuer() {
        Map<String, String> session = OidcCodeFlow.logIn("/admin", issuer, "root", "billing-admin");
        assertEquals("/admin", OidcCodeFlow.logOut(session, issuer), "back to the page after the issuer's logout");
    }

    @Test
    void apisAnswerAsBefore() {
        given().accept("application/json").get("/admin/api/summary").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Basic realm=\"billing-app\"")
                .body("status", equalTo(401));
        asAdmin().get("/admin/api/summary").then().statusCode(200);
    }
}
