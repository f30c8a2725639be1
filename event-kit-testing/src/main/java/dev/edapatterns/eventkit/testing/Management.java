package dev.edapatterns.eventkit.testing;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The app's management interface in a {@code @QuarkusTest} (health, metrics, OpenAPI, Swagger UI, {@code /ops/*}):
 * its own port, never the API port that {@code RestAssured.given()} talks to.
 */
public final class Management {

    private Management() {
    }

    /** A RestAssured request to the management interface. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri(url()).port(-1);
    }

    /** {@code http://host:port} of the management interface (its test port, resolved when it is 0). */
    public static String url() {
        // Quarkus' test URL ends with the management root path (/q); the tests name full paths
        URI uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }
}
