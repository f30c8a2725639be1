package dev.edapatterns.importapp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** An importer-only instance (contacts view off) still imports, and says clearly that it serves no contacts. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@TestProfile(ImporterOnlyInstanceTest.ViewOff.class)
class ImporterOnlyInstanceTest {

    public static class ViewOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("import.contacts-view.enabled", "false");
        }
    }

    @Test
    void importsWithoutTheViewAndAnswers503ForContacts() {
        String importId = ImportTestSupport.asImporter().contentType("text/csv").body("email\nonly@example.com\n")
                .post("/imports").then().statusCode(202)
                .extract().path("importId");
        ImportTestSupport.awaitFinished(importId);
        ImportTestSupport.asCrm().get("/contacts/only@example.com").then().statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(503)).body("detail", containsString("import.contacts-view.enabled=false"));
    }
}
