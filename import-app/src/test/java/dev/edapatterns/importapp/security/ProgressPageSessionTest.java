package dev.edapatterns.importapp.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.KubernetesLoginProfile;
import dev.edapatterns.eventkit.testing.OidcCodeFlow;
import dev.edapatterns.eventkit.testing.TestOidcProvider;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Kubernetes (profile k8s): the progress page's OIDC login (notify-app) covers its calls here. This app has no page,
 * so the test opens the code flow at a probe path that only this test's profile protects with the "code" mechanism:
 * the session cookie it gets is the one notify-app sets (same OIDC client, session secret and cookie settings, which
 * this test compares with notify-app's). With it the importer uploads and lists their imports; another role is
 * refused; an anonymous call still gets 401 with a Basic challenge, never a redirect to the issuer.
 */
@QuarkusTest
@TestProfile(ProgressPageSessionTest.WithLoginProbe.class)
@WithTestResource(KafkaBrokerTestResource.class)
class ProgressPageSessionTest {

    static final String PROBE = "/oidc-login-probe";
    static final String SESSION_COOKIE = "q_session_Default_progress";

    public static class WithLoginProbe extends KubernetesLoginProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.login-probe.paths", PROBE,
                    "quarkus.http.auth.permission.login-probe.policy", "authenticated",
                    "quarkus.http.auth.permission.login-probe.auth-mechanism", "code");
        }
    }

    /** From {@link dev.edapatterns.eventkit.testing.OidcProviderTestResource}. */
    TestOidcProvider issuer;

    @Test
    void theProgressPagesSessionAuthenticatesTheImporter() throws IOException {
        Map<String, String> session = OidcCodeFlow.logIn(PROBE, issuer, "oidc-importer", "importer");
        assertEquals(List.of(SESSION_COOKIE), List.copyOf(session.keySet()));
        String importId = given().cookies(session)
                .multiPart("file", "contacts.csv", "email\noidc@example.com\n".getBytes(StandardCharsets.UTF_8), "text/csv")
                .post("/imports").then().statusCode(202).extract().path("importId");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().cookies(session).get("/imports/" + importId).statusCode() == 200);
        given().cookies(session).get("/imports").then().statusCode(200).body("imports.importId", contains(importId));

        given().cookies(OidcCodeFlow.logIn(PROBE, issuer, "clerk", "crm")).get("/imports/" + importId).then().statusCode(403);
        given().get("/imports/" + importId).then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"import-app\"");
    }

    @Test
    void theSessionCookieIsConfiguredAsNotifyAppsIs() throws IOException {
        Properties notify = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("..", "notify-app", "src", "main", "resources", "application.properties"))) {
            notify.load(in);
        }
        for (String property : List.of("%k8s.quarkus.oidc.authentication.cookie-suffix",
                "%k8s.quarkus.oidc.authentication.cookie-domain")) {
            assertEquals(notify.getProperty(property), ConfigProvider.getConfig().getConfigValue(property).getRawValue(), property);
        }
    }
}
