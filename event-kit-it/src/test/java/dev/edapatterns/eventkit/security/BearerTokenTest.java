package dev.edapatterns.eventkit.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.startsWithIgnoringCase;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Bearer JWTs (Kubernetes) next to HTTP Basic (laptop, CI) in the shared realm: a token signed by the issuer's key
 * authenticates with the roles of its {@code realm_access.roles} claim and the MicroProfile JWT name as principal;
 * an expired token, one signed with another key or naming another issuer gets 401 problem+json; Basic keeps
 * working; a public operation ignores a bad token (authentication is not proactive).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(SigningKeyTestResource.class)
class BearerTokenTest {

    private static final String PATH = "/kit-test/who-am-i";

    /** The issuer's key pair, from {@link SigningKeyTestResource}. */
    KeyPair issuerKeys;

    @Test
    void aTokenOfTheIssuerAuthenticatesWithTheRolesOfItsClaim() {
        String token = claims().sign(issuerKeys.getPrivate());
        bearer(token).statusCode(200)
                .body("name", equalTo("alice@example.com"))
                .body("roles", contains("billing-admin", "crm"));
    }

    @Test
    void withoutPreferredUsernameTheSubjectIsThePrincipal() {
        String token = Jwt.issuer(SigningKeyTestResource.ISSUER).subject("bob@example.com")
                .claim("realm_access", Map.of("roles", List.of("billing-admin"))).sign(issuerKeys.getPrivate());
        bearer(token).statusCode(200).body("name", equalTo("bob@example.com"));
    }

    @Test
    void aTokenWithoutTheRoleIsForbidden() {
        String token = Jwt.issuer(SigningKeyTestResource.ISSUER).subject("c0ffee").preferredUserName("clerk")
                .claim("realm_access", Map.of("roles", List.of("crm"))).sign(issuerKeys.getPrivate());
        bearer(token).statusCode(403).contentType(startsWith("application/problem+json")).body("status", equalTo(403));
    }

    @Test
    void expiredForgedOrForeignTokensAre401Problems() throws Exception {
        Instant hourAgo = Instant.now().minusSeconds(3600);
        String expired = claims().issuedAt(hourAgo.minusSeconds(300)).expiresAt(hourAgo).sign(issuerKeys.getPrivate());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = claims().sign(generator.generateKeyPair().getPrivate());
        String foreignIssuer = claims().issuer("https://elsewhere.test/realms/eda").sign(issuerKeys.getPrivate());
        for (String token : List.of(expired, forged, foreignIssuer, "not-a-jwt")) {
            bearer(token).statusCode(401)
                    .contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(401)).body("instance", equalTo(PATH));
        }
    }

    @Test
    void basicStillAuthenticatesTheEmbeddedUsers() {
        given().auth().preemptive().basic("admin", "admin").get(PATH).then().statusCode(200).body("name", equalTo("admin"));
        given().auth().preemptive().basic("admin", "wrong").get(PATH).then().statusCode(401)
                .contentType(startsWith("application/problem+json")).header("WWW-Authenticate", startsWithIgnoringCase("basic"));
        // no credentials: the Basic challenge, not the bearer one (smallrye-jwt is silent without a header)
        given().get(PATH).then().statusCode(401).header("WWW-Authenticate", startsWithIgnoringCase("basic"));
    }

    @Test
    void publicOperationsIgnoreABadToken() {
        given().header("Authorization", "Bearer not-a-jwt").get(PATH + "/public").then().statusCode(200).body(equalTo("open"));
    }

    private static JwtClaimsBuilder claims() {
        return Jwt.issuer(SigningKeyTestResource.ISSUER).subject("5b0c1d7e-3f4a-4c8e-9d2b-7a6e1f0c9b31")
                .preferredUserName("alice@example.com")
                .claim("realm_access", Map.of("roles", List.of("billing-admin", "crm")));
    }

    private static ValidatableResponse bearer(String token) {
        return given().header("Authorization", "Bearer " + token).accept("application/json").get(PATH).then();
    }
}
