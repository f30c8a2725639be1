package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.as;
import static dev.edapatterns.importapp.ImportTestSupport.asCrm;
import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static dev.edapatterns.importapp.ImportTestSupport.quietSnapshot;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ContactsTest {

    @Test
    void contactsArePagedAndDeletedByTombstone() {
        String prefix = "pg" + System.nanoTime();
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < 7; i++) {
            csv.append(prefix).append(i).append("@example.com,Name ").append(i).append('\n');
        }
        String importId = asImporter().contentType("text/csv").body(csv.toString())
                .post("/imports").then().statusCode(202).extract().path("importId");
        awaitFinished(importId);

        // pages of 3 from just before our prefix: exactly our 7 contacts in email order
        List<String> seen = new ArrayList<>();
        String after = prefix;
        while (seen.size() < 7) {
            var page = asCrm().queryParam("after", after).queryParam("limit", 3).get("/contacts").then().statusCode(200)
                    .extract().jsonPath();
            List<String> emails = page.getList("contacts.email", String.class);
            seen.addAll(emails.stream().filter(e -> e.startsWith(prefix)).toList());
            after = page.getString("next");
            if (after == null) {
                break;
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(prefix + i + "@example.com");
        }
        assertEquals(expected, seen);

        String victim = prefix + "3@example.com";
        // contacts are the shop's: crm only. Refusals answer problem+json, leak nothing and delete nothing
        CommittedRecords beforeRefusals = quietSnapshot();
        for (String user : List.of("importer", "clerk", "alice@example.com")) {
            ImportFlowTest.assertForbidden(as(user).get("/contacts/" + victim).then(), 403);
            ImportFlowTest.assertForbidden(as(user).get("/contacts").then(), 403);
            ImportFlowTest.assertForbidden(as(user).delete("/contacts/" + victim).then(), 403);
        }
        ImportFlowTest.assertForbidden(given().get("/contacts/" + victim).then().body("email", nullValue()), 401);
        ImportFlowTest.assertForbidden(given().get("/contacts").then(), 401);
        ImportFlowTest.assertForbidden(given().delete("/contacts/" + victim).then(), 401);
        ImportFlowTest.assertForbidden(as("crm").auth().preemptive().basic("crm", "wrong").delete("/contacts/" + victim).then(),
                401);
        assertEquals(Map.of(), beforeRefusals.newRecordsWhenSettled(), "a refused delete writes no tombstone");
        as("admin").get("/contacts/" + victim).then().statusCode(200); // admin holds crm

        asCrm().delete("/contacts/" + victim.toUpperCase()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> beforeRefusals.newRecords(Topics.IMPORT_CONTACTS.name()) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> asCrm().get("/contacts/" + victim).statusCode() == 404);
        asCrm().get("/contacts/" + victim).then().contentType("application/problem+json").body("status", equalTo(404));
        asCrm().delete("/contacts/" + victim).then().statusCode(404);
        asCrm().queryParam("limit", 0).get("/contacts").then().statusCode(400);
        asImporter().get("/imports/no-such-import").then().statusCode(404).contentType("application/problem+json");
    }
}
