package dev.edapatterns.notify.page;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class PageTest {

    @Test
    void readinessIsUpOnceTheFeedCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'progress feed' }.status", equalTo("UP")));
    }

    @Test
    void configPointsAtImportApp() {
        given().get("/config.json").then()
                .statusCode(200)
                .contentType("application/json")
                .body("importUrl", equalTo("http://localhost:8081"));
    }

    @Test
    void pageAndScriptAreServed() {
        given().get("/").then().statusCode(200)
                .body(containsString("id=\"file\""), containsString("id=\"import\""), containsString("app.js"));
        given().get("/app.js").then().statusCode(200).body(containsString("/progress/"));
        given().get("/style.css").then().statusCode(200);
    }
}
