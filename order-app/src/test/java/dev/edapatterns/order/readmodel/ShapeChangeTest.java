package dev.edapatterns.order.readmodel;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A release with a new shape of a projection (here customers shape 2: one more column and index, from
 * db/test-shapes) starts on a database whose live customers are shape 1: it builds a version of its shape by itself
 * and switches to it once caught up, the older version's table is dropped, and it answers from the new shape. Once a
 * still newer shape is live, this release stops projecting and answers 503 (readiness DOWN), and refuses to rebuild
 * over it; back on its own shape it serves again.
 */
@QuarkusTest
@TestProfile(ShapeChangeTest.NextShape.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class ShapeChangeTest {

    static final Duration SWITCHED = Duration.ofSeconds(60);

    public static class NextShape implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("order.read-model.shapes-locations", "db/shapes,db/test-shapes",
                    "order.read-model.rebuild-check-interval", "200ms");
        }
    }

    @Inject
    Instance<DataSource> dataSources;

    @Inject
    MeterRegistry registry;

    @Test
    void aNewShapeIsBuiltBesideTheLiveOneAndTakesOver() {
        String email = "shape-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ReadModelRecords.contact(email, "Shaped", "FR");

        // the first migration's version 1 is shape 1: this release built version 2 in shape 2 and switched to it
        await().atMost(SWITCHED).until(() -> text("SELECT live_version || '/' || live_shape || '/' || coalesce(building_version, 0)"
                + " FROM projection_versions WHERE projection = 'customers'").equals("2/2/0"));
        assertEquals("1", text("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers_v2'"
                + " AND column_name = 'segment'"));
        await().atMost(SWITCHED).until(() -> text("SELECT count(*) FROM pg_class WHERE relname = 'customers_v1'").equals("0"));
        assertEquals("1/1/0", text("SELECT live_version || '/' || live_shape || '/' || coalesce(building_version, 0)"
                + " FROM projection_versions WHERE projection = 'order-history'"), "order history keeps its shape");
        await().atMost(SWITCHED).untilAsserted(() -> crm().get("/customers/" + email).then().statusCode(200)
                .body("name", equalTo("Shaped")));
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'read model' }.data.customers", equalTo("serving shape 2"));

        // a newer release's shape 3 is live (as after its switch): this release neither projects nor serves customers
        execute("UPDATE projection_versions SET live_shape = 3 WHERE projection = 'customers'");
        try {
            await().atMost(SWITCHED).until(() -> registry.find("eventkit.projection.lag").tag("projection", "customers")
                    .gauge() == null);
            crm().get("/customers/" + email).then().statusCode(503).contentType("application/problem+json");
            crm().get("/customers?limit=1").then().statusCode(503);
            Management.given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'read model' }.data.customers", equalTo("shape 2 not live (live: shape 3)"));
            given().auth().preemptive().basic("admin", "admin").post("/admin/projections/customers/rebuild").then()
                    .statusCode(409).contentType("application/problem+json");
            crm().get("/customers/" + email + "/orders").then().statusCode(200); // order history is still served
        } finally {
            execute("UPDATE projection_versions SET live_shape = 2 WHERE projection = 'customers'");
        }

        // its own shape live again: it projects (a contact sent meanwhile arrives) and serves
        String later = "shape-later-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ReadModelRecords.contact(later, "Later", "FR");
        await().atMost(SWITCHED).untilAsserted(() -> crm().get("/customers/" + later).then().statusCode(200));
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    static io.restassured.specification.RequestSpecification crm() {
        return given().auth().preemptive().basic("crm", "crm");
    }

    private String text(String sql) {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
