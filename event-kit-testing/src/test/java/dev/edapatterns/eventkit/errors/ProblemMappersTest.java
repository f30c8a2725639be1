package dev.edapatterns.eventkit.errors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ProblemMappersTest {

    @Test
    void problemExceptionKeepsStatusDetailAndExtensions() {
        given().get("/kit-test/conflict").then()
                .statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Conflict"))
                .body("status", equalTo(409))
                .body("detail", equalTo("Idempotency-Key was used with another body."))
                .body("instance", equalTo("/kit-test/conflict"))
                .body("errors[0].line", equalTo(3));
    }

    @Test
    void unexpectedErrorsHideInternals() {
        given().get("/kit-test/boom").then()
                .statusCode(500)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Internal Server Error"))
                .body("detail", startsWith("An unexpected error occurred. Reference: "))
                .body(allOf(not(containsString("secret")), not(containsString("dev.edapatterns")),
                        not(containsString("Exception")), not(containsString("at "))));
    }

    @Test
    void malformedJsonIs400WithWhere() {
        given().contentType("application/json").body("{\"customerId\": \"c1\", ").post("/kit-test/payments").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", startsWith("The request body is not valid JSON"))
                .body(not(containsString("com.fasterxml")));
    }

    @Test
    void wrongFieldTypeIs400NamingTheField() {
        given().contentType("application/json").body("{\"customerId\": \"c1\", \"qty\": \"many\"}").post("/kit-test/payments")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("Field 'qty' has a value of the wrong type or format."));
    }

    @Test
    void frameworkErrorsAreProblemsToo() {
        given().contentType("text/plain").body("x").post("/kit-test/payments").then()
                .statusCode(415).contentType(startsWith("application/problem+json")).body("status", equalTo(415));
        given().delete("/kit-test/conflict").then()
                .statusCode(405).contentType(startsWith("application/problem+json")).body("status", equalTo(405));
        given().get("/kit-test/nothing-here").then()
                .statusCode(404).contentType(startsWith("application/problem+json")).body("status", equalTo(404));
    }
}
