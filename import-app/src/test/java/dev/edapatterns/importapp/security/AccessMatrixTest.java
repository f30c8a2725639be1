package dev.edapatterns.importapp.security;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of import-app answers anonymous, wrong role, other importer and owner as docs/SECURITY.md says; the
 * login form is checked by name.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class AccessMatrixTest {

    @Test
    void everyOperationAnswersAsTheSecurityTableSays() {
        AccessMatrix.of("import-app")
                // the progress page logs in on notify-app; the same users (and cookie) work here
                .route("FORM /j_security_check", () -> {
                    assertNull(AccessMatrix.formLogin("importer", "wrong"), "a wrong password got a session");
                    assertNotNull(AccessMatrix.formLogin("importer", AccessMatrix.password("importer")));
                })
                .verify();
    }
}
