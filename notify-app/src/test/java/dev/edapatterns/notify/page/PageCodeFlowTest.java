package dev.edapatterns.notify.page;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.KubernetesLoginProfile;
import dev.edapatterns.eventkit.testing.OidcCodeFlow;
import dev.edapatterns.eventkit.testing.TestOidcProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Kubernetes (profile k8s): the progress page logs in through the issuer's OIDC code flow (a provider run by the
 * test, tokens signed inside it) instead of the form: the page, its script and its JSON for an importer or
 * import-admin, 403 for other roles, no session for a forged ID token, logout at the issuer. The session cookie is the
 * one import-app reads too ({@code q_session_Default_progress}). Scripts keep HTTP Basic.
 */
@QuarkusTest
@TestProfile(KubernetesLoginProfile.class)
@WithTestResource(KafkaBrokerTestResource.class)
class PageCodeFlowTest {

    static final String SESSION_COOKIE = "q_session_Default_progress";

    /** From {@link dev.edapatterns.eventkit.testing.OidcProviderTestResource}. */
    TestOidcProvider issuer;

    @Test
    void theImporterLogsInThroughTheIssuer() {
        Map<String, String> session = OidcCodeFlow.logIn("/", issuer, "importer", "importer");
        assertEquals(Set.of(SESSION_COOKIE), session.keySet());
        given().cookies(session).get("/").then().statusCode(200).body(containsString("app.js"));
        given().cookies(session).get("/app.js").then().statusCode(200).body(containsString("/progress/"));
        given().cookies(session).get("/config.json").then().statusCode(200).body("importUrl", equalTo("http://localhost:8081"));
        // an import-admin too, from any page path
        given().cookies(OidcCodeFlow.logIn("/index.html", issuer, "root", "import-admin")).get("/index.html").then()
                .statusCode(200);
    }

    @Test
    void otherRolesAreForbidden() {
        Map<String, String> session = OidcCodeFlow.logIn("/", issuer, "clerk", "crm");
        given().redirects().follow(false).cookies(session).get("/").then().statusCode(403);
        given().cookies(session).get("/config.json").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aForgedIdTokenOpensNoSession() {
        OidcCodeFlow.refusesAForgedIdToken("/", issuer, "importer", "importer");
    }

    @Test
    void logoutEndsTheSessionAtTheIssuer() {
        Map<String, String> session = OidcCodeFlow.logIn("/", issuer, "importer", "importer");
        assertEquals("/", OidcCodeFlow.logOut(session, issuer), "back to the page after the issuer's logout");
    }

    @Test
    void scriptsKeepHttpBasic() {
        given().auth().preemptive().basic("importer", "importer").get("/config.json").then().statusCode(200);
        given().get("/config.json").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Basic realm=\"notify-app\"");
    }
}
