package dev.edapatterns.order.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A rebuild builds version n+1 beside n from the start of the topics and switches when caught up, while a reader keeps
 * getting whole answers (every one of its customers, from one version or the other, never an error or a half-built
 * table); version n's table and offsets are gone afterwards.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class RebuildTest {

    static final Duration SWITCHED = Duration.ofSeconds(60);

    /** Not injected directly: the Kafka-only test classes start the app without a datasource (inactive bean). */
    @Inject
    Instance<DataSource> dataSources;

    @Test
    void aReaderKeepsGettingWholeAnswersWhileTheCustomersAreRebuilt() throws Exception {
        String prefix = "rebuild-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (int i = 0; i < 20; i++) {
            ReadModelRecords.contact(prefix + i + "@example.com", "Rebuilt " + i, "FR");
        }
        String page = "/customers?limit=100&q=" + prefix;
        await().atMost(SWITCHED).until(() -> crm().get(page).jsonPath().getList("items").size() == 20);
        int before = (int) number("SELECT live_version FROM projection_versions WHERE projection = 'customers'");

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger answers = new AtomicInteger();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                Response r = crm().get(page);
                int rows = r.statusCode() == 200 ? r.jsonPath().getList("items").size() : -1;
                if (rows != 20) {
                    wrong.add(r.statusCode() + " with " + rows + " rows: " + r.asString());
                }
                answers.incrementAndGet();
            }
        }, "rebuild-reader");
        reader.start();
        try {
            given().auth().preemptive().basic("admin", "admin").post("/admin/projections/customers/rebuild").then()
                    .statusCode(202).body("projection", equalTo("customers"))
                    .body("liveVersion", equalTo(before)).body("buildingVersion", equalTo(before + 1));
            await().atMost(SWITCHED).until(() -> number("SELECT live_version FROM projection_versions"
                    + " WHERE projection = 'customers' AND building_version IS NULL") == before + 1);
            int atSwitch = answers.get();
            await().atMost(SWITCHED).until(() -> answers.get() >= atSwitch + 5);   // and on, from the new version
        } finally {
            reading.set(false);
            reader.join(30_000);
        }
        assertEquals(List.of(), List.copyOf(wrong), "answers during the rebuild");
        assertTrue(answers.get() >= 5, "the reader was answered " + answers.get() + " times");

        // the new version holds the same rows; the old one's table and offsets are gone
        assertEquals(20, number("SELECT count(*) FROM customers_v" + (before + 1) + " WHERE email LIKE '" + prefix + "%'"));
        await().atMost(SWITCHED).until(() -> number("SELECT count(*) FROM pg_class WHERE relname = 'customers_v" + before + "'") == 0
                && number("SELECT count(*) FROM projection_offsets WHERE projection = 'customers' AND version = " + before) == 0);
        crm().get(page).then().statusCode(200).header(Staleness.APPLIED_AT, notNullValue());
    }

    @Test
    void anUnknownProjectionIs404() {
        given().auth().preemptive().basic("admin", "admin").post("/admin/projections/nope/rebuild").then().statusCode(404)
                .contentType("application/problem+json");
    }

    static io.restassured.specification.RequestSpecification crm() {
        return given().auth().preemptive().basic("crm", "crm");
    }

    long number(String sql) {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
