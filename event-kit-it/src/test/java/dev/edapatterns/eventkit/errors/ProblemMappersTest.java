package dev.edapatterns.eventkit.errors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    static final String LINE = "{\"qty\": 1, \"ratio\": 0.5, \"price\": 9.99}";

    @Test
    void aValidBodyPassesTheStrictReader() {
        given().contentType("application/json").body("{\"name\": \"n\", \"lines\": [" + LINE + "]}").post("/kit-test/orders")
                .then().statusCode(200).body("lines[0].price", equalTo(9.99f)).body("lines[0].qty", equalTo(1));
    }

    /** What a lenient reader would accept and silently reinterpret. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": \"n\", \"lines\": []} trailing", // garbage after the object
            "{\"name\": \"n\", \"lines\": []}{}", // a second value
            "{\"name\": 123, \"lines\": []}", // a number where a string is expected
            "{\"name\": true, \"lines\": []}",
            "{\"name\": \"n\", \"name\": \"m\", \"lines\": []}", // a key twice
            "{\"name\": \"n\", \"lines\": [{\"qty\": 5.9, \"ratio\": 0.5, \"price\": 1}]}", // a fraction for an int
            "{\"name\": \"n\", \"lines\": [{\"qty\": \"5\", \"ratio\": 0.5, \"price\": 1}]}", // a string for an int
            "{\"name\": \"n\", \"lines\": [{\"qty\": 1, \"ratio\": \"NaN\", \"price\": 1}]}",
            "{\"name\": \"n\", \"lines\": [{\"qty\": 1, \"ratio\": NaN, \"price\": 1}]}",
            "{\"name\": \"n\", \"lines\": [{\"qty\": 1, \"ratio\": 1e400, \"price\": 1}]}", // Infinity as a double
            "{\"name\": \"n\", \"lines\": [{\"qty\": 1, \"ratio\": 0.5, \"price\": 1e100000000}]}",
            "{\"name\": \"n\", \"lines\": [{\"qty\": null, \"ratio\": 0.5, \"price\": 1}]}", // null for an int
            "{\"name\": \"n\", \"lines\": [{\"qty\": 1, \"ratio\": 0.5, \"price\": 1"
                    + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}]}",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" })
    void lenientInputIsRefusedBeforeTheResourceRuns(String body) {
        given().contentType("application/json").body(body).post("/kit-test/orders").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(ProblemTypes.MALFORMED_BODY))
                .body(allOf(not(containsString("com.fasterxml")), not(containsString("Jackson")),
                        not(containsString("Exception")), not(containsString("StreamReadConstraints"))));
    }

    @Test
    void constraintViolationsAreOneProblemListingEveryFieldByItsJsonPath() {
        given().contentType("application/json")
                .body("{\"name\": \"far too long\", \"lines\": [" + LINE + ", {\"qty\": 1, \"ratio\": 0, \"price\": 0.001}]}")
                .post("/kit-test/orders").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(ProblemTypes.INVALID_REQUEST))
                .body("errors.field", org.hamcrest.Matchers.contains("lines[1].price", "lines[1].price", "name"))
                .body("errors.message", org.hamcrest.Matchers.hasItems("At least 0.01.", "At most 8 characters.",
                        "At most 6 digits before the point and 2 after."))
                .body("detail", startsWith("The request is invalid: lines[1].price: "));
        given().contentType("application/json").body("null").post("/kit-test/orders").then()
                .statusCode(400).body("type", equalTo(ProblemTypes.INVALID_REQUEST)).body("errors[0].field", equalTo("body"));
    }

    @Test
    void parametersThatCannotBeReadOrAreOutOfRangeAre400NamingThem() {
        given().get("/kit-test/page?limit=7").then().statusCode(200).body(equalTo("limit 7"));
        given().get("/kit-test/page?limit=abc").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(ProblemTypes.INVALID_PARAMETER))
                .body("errors[0].field", equalTo("limit"))
                .body("detail", equalTo("Parameter 'limit': 'abc' is not a whole number in range."));
        given().get("/kit-test/page?limit=99999999999").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().get("/kit-test/page?limit=101").then()
                .statusCode(400)
                .body("type", equalTo(ProblemTypes.INVALID_REQUEST))
                .body("errors[0].field", equalTo("limit"))
                .body("errors[0].message", equalTo("At most 100."));
    }

    @Test
    void echoedInputIsClippedSoAnAnswerNeverGrowsWithTheRequest() {
        given().get("/kit-test/page?limit=" + "9".repeat(1000) + "x").then()
                .statusCode(400)
                .body("detail.length()", lessThanOrEqualTo(300))
                .body("detail", containsString("\u2026"));
    }
}
