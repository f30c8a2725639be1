package dev.edapatterns.billing.security;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.edapatterns.billing.ledger.LedgerTestSupport;
import dev.edapatterns.billing.timezones.TimeZonesTestSupport;
import dev.edapatterns.contracts.reference.Country;
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
        // what the examples read: alice's ledger (a charge) and France's time zones
        LedgerTestSupport.send(LedgerTestSupport.charge("alice@example.com", "matrix-1", "4.99"));
        TimeZonesTestSupport.put(new Country("FR", "France", "EUR", List.of("Europe/Paris")));
        Runnable dashboard = AccessMatrix.formLoginPage("/admin", "admin");
        AccessMatrix.of("billing-app")
                .route("PAGE /admin", dashboard)
                .route("FORM /j_security_check", dashboard)
                // the examples name a position far beyond any record, so the matrix changes nothing other tests see:
                // the admin reaches the operation, which finds nothing there (404)
                .expect("POST /admin/blocked/{topic}/{partition}/{offset}/retry", 404, "nothing blocked at the example")
                .expect("POST /admin/blocked/{topic}/{partition}/{offset}/skip", 404, "nothing blocked at the example")
                .expect("POST /admin/dlq/{partition}/{offset}/redrive", 404, "no dead letter at the example")
                .verify();
    }
}
