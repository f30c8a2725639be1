package dev.edapatterns.order.security;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.AccessMatrix;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every operation of order-app answers anonymous, wrong role, other customer and owner as docs/SECURITY.md says. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class AccessMatrixTest {

    @Test
    void everyOperationAnswersAsTheSecurityTableSays() {
        AccessMatrix.of("order-app").verify();
    }
}
