package dev.edapatterns.billing.security;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.FormLoginThrottling;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The admin login form is throttled like HTTP Basic: once a user failed too often from one address, the form answers
 * 429 problem+json with Retry-After, for that user from that address only.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class FormLoginThrottleTest {

    @Test
    void aThrottledFormLoginAnswers429AndOnlyForThatUserFromThatAddress() throws Exception {
        FormLoginThrottling.check("quarkus-credential", "bob@example.com", "alice@example.com");
    }
}
