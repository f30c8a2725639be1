package dev.edapatterns.importapp;

import static dev.edapatterns.importapp.ImportTestSupport.as;
import static dev.edapatterns.importapp.ImportTestSupport.asCrm;
import static dev.edapatterns.importapp.ImportTestSupport.asImporter;
import static dev.edapatterns.importapp.ImportTestSupport.awaitFinished;
import static dev.edapatterns.importapp.ImportTestSupport.quietSnapshot;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.testing.CommittedRecords;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * import-app writes contacts and keeps none: a delete is a tombstone on {@code import.contacts}, always 204 (the
 * writer does not know whether the contact exists), for role crm only; the reads are order-app's read model.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ContactsTest {

    @Test
    void aDeleteIsATombstoneForRoleCrmOnly() {
        String prefix = "del" + System.nanoTime();
        String importId = asImporter().contentType("text/csv").body("email,name\n" + prefix + "@example.com,Del\n")
                .post("/imports").then().statusCode(202).extract().path("importId");
        awaitFinished(importId);
        String victim = prefix + "@example.com";
        assertEquals("Del", ContactRecords.awaitContact(victim).name());

        // contacts are the shop's: crm only. Refusals answer problem+json and write no tombstone
        CommittedRecords beforeRefusals = quietSnapshot();
        for (String user : List.of("importer", "clerk", "alice@example.com")) {
            ImportFlowTest.assertForbidden(as(user).delete("/contacts/" + victim).then(), 403);
        }
        ImportFlowTest.assertForbidden(given().delete("/contacts/" + victim).then(), 401);
        ImportFlowTest.assertForbidden(as("crm").auth().preemptive().basic("crm", "wrong").delete("/contacts/" + victim).then(),
                401);
        assertEquals(Map.of(), beforeRefusals.newRecordsWhenSettled(), "a refused delete writes no tombstone");

        asCrm().delete("/contacts/" + victim.toUpperCase()).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> beforeRefusals.newRecords(Topics.IMPORT_CONTACTS.name()) == 1);
        List<ConsumerRecord<String, Contact>> records = ContactRecords.of(victim);
        assertEquals(victim, records.get(records.size() - 1).key());   // the normalised key
        assertNull(records.get(records.size() - 1).value());
        assertTrue(ContactRecords.latest(victim).isEmpty());

        // an unknown contact: the writer cannot tell, so 204 and a tombstone (harmless: nothing to delete)
        asCrm().delete("/contacts/never-" + victim).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).until(() -> beforeRefusals.newRecords(Topics.IMPORT_CONTACTS.name()) == 2);
    }

    @Test
    void theContactReadsAreGoneFromImportApp() {
        // the reads moved to order-app's GET /customers (its read model); nothing here answers them
        assertEquals(404, asCrm().get("/contacts").statusCode());
        assertEquals(405, asCrm().get("/contacts/ann@example.com").statusCode());
    }
}
