package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * The ends of pattern 3's chain as the packaged apps show them: billing-app's derived time zones, and the zone
 * import-app gives a freshly imported contact.
 */
final class ReferenceChain {

    private ReferenceChain() {
    }

    /** The primary zone billing-app's {@code GET /timezones/{code}} answers, null while it has none. */
    static String derived(RunningApp billing, String code) {
        Http.Response r = Http.get(billing.url() + "/timezones/" + code);
        return r.status() == 200 ? r.json().get("primaryZone").asText() : null;
    }

    static void awaitDerived(RunningApp billing, String code, String primaryZone, Duration within) {
        await().atMost(within).until(() -> primaryZone.equals(derived(billing, code)));
    }

    /** Imports one fresh contact of {@code country} until it is stored with {@code zone} (null: none): the chain's end. */
    static void awaitEnriched(RunningApp importApp, String country, String zone, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(300)).until(() -> Objects.equals(zone, importedZone(importApp, country)));
    }

    private static String importedZone(RunningApp importApp, String country) {
        String email = "chain-" + UUID.randomUUID() + "@example.com";
        Http.Response accepted = Http.as(Http.IMPORTER).post(importApp.url() + "/imports", "text/csv",
                "email,name,country\n" + email + ",Chain," + country + "\n");
        assertEquals(202, accepted.status(), accepted.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.as(Http.CRM).get(importApp.url() + "/contacts/" + email).status() == 200);
        var zone = Http.as(Http.CRM).get(importApp.url() + "/contacts/" + email).json().get("timeZone");
        return zone == null || zone.isNull() ? null : zone.asText();
    }
}
