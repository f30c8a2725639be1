package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static dev.edapatterns.importapp.ImportTestSupport.channelId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
        String importId = given().contentType("text/csv").body(csv.toString()).queryParam("channelId", channelId())
                .post("/imports").then().statusCode(202).extract().path("importId");
        awaitFinished(importId);

        // pages of 3 from just before our prefix: exactly our 7 contacts in email order
        List<String> seen = new ArrayList<>();
        String after = prefix;
        while (seen.size() < 7) {
            var page = given().queryParam("after", after).queryParam("limit", 3).get("/contacts").then().statusCode(200)
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
        given().delete("/contacts/" + victim.toUpperCase()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/contacts/" + victim).statusCode() == 404);
        given().get("/contacts/" + victim).then().contentType("application/problem+json").body("status", equalTo(404));
        given().delete("/contacts/" + victim).then().statusCode(404);
        given().queryParam("limit", 0).get("/contacts").then().statusCode(400);
        given().get("/imports/no-such-import").then().statusCode(404).contentType("application/problem+json");
    }
}
