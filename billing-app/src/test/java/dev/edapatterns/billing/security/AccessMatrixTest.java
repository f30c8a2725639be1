package dev.edapatterns.billing.security;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of billing-app answers anonymous, wrong role, other customer and owner as docs/SECURITY.md says;
 * the dashboard page and the login form are checked by name.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class AccessMatrixTest {

    @Test
    void everyOperationAnswersAsTheSecurityTableSays() {
        Runnable dashboard = AccessMatrix.formLoginPage("/admin", "admin");
        AccessMatrix.of("billing-app")
                .route("PAGE /admin", dashboard)
                .route("FORM /j_security_check", dashboard)
                .verify();
    }
}
