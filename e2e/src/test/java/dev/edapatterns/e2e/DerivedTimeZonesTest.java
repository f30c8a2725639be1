package dev.edapatterns.e2e;

import static dev.edapatterns.e2e.ReferenceChain.awaitDerived;
import static dev.edapatterns.e2e.ReferenceChain.awaitEnriched;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.edapatterns.deploy.KafkaBroker;
import dev.edapatterns.eventkit.testing.TestKafka;

/**
 * Pattern 3 as the seed tells it, across the packaged apps: reference data is there out of the box (order-app seeds the
 * countries on the cluster's first start), and when the business adds a country without any zone, billing-app itself
 * derives its time zone and import-app uses it for new contacts. A deleted country stays deleted across an order-app
 * restart (the seed never brings it back).
 */
class DerivedTimeZonesTest {

    /** Generous: other e2e classes run alongside and may hold the deriver's partitions while they restart. */
    private static final Duration CHAIN = Duration.ofSeconds(60);
    private static final String SOUTH_SUDAN = "{\"name\":\"South Sudan\",\"currency\":\"SSP\"}";

    @Test
    void southSudanDeletedThenAddedWithoutZonesGetsAfricaJubaInBillingAndInNewContacts() throws Exception {
        // the three apps boot side by side (each its own process)
        var orderStart = CompletableFuture.supplyAsync(() -> start("order-app"));
        var billingStart = CompletableFuture.supplyAsync(() -> start("billing-app"));
        var importStart = CompletableFuture.supplyAsync(() -> start("import-app"));
        try (RunningApp first = orderStart.join(); RunningApp billing = billingStart.join(); RunningApp importer = importStart.join()) {
            String countries = first.url() + "/countries/";

            // out of the box: seeded by this start or an earlier one on the shared broker, its zone derived
            Http.Response seeded = Http.get(countries + "SS");
            assertEquals(200, seeded.status(), seeded.body());
            assertEquals("South Sudan", seeded.json().get("name").asText());
            awaitDerived(billing, "SS", "Africa/Juba", CHAIN);

            assertEquals(204, Http.as(Http.ADMIN).delete(countries + "SS").status());
            await().atMost(CHAIN).until(() -> Http.get(billing.url() + "/timezones/SS").status() == 404);
            awaitEnriched(importer, "SS", null, CHAIN);

            // a restart of order-app seeds nothing: the deleted country stays deleted
            first.close();
            try (RunningApp order = start("order-app")) {
                assertEquals(404, Http.get(order.url() + "/countries/SS").status());

                // the business adds it back with name and currency only: billing-app derives its zone by itself
                Http.Response added = Http.as(Http.ADMIN).put(order.url() + "/countries/SS", SOUTH_SUDAN);
                assertEquals(201, added.status(), added.body());
                awaitDerived(billing, "SS", "Africa/Juba", CHAIN);
                Http.Response zones = Http.get(billing.url() + "/timezones/SS");
                assertEquals(List.of("Africa/Juba"), List.of(zones.json().get("zones").get(0).asText()));
                assertEquals(1, zones.json().get("zones").size());
                assertTrue(zones.json().get("tzVersion").asText().matches("\\d{4}[a-z]+/\\d{4}[a-z]+"), zones.body());
                assertEquals("+02:00", zones.json().get("primaryOffset").asText());
                awaitEnriched(importer, "SS", "Africa/Juba", CHAIN);
            }
        }
    }

    /** An instance id per app: stopping order-app then removes only its own static members, not billing-app's. */
    private static RunningApp start(String module) {
        RunningApp app = RunningApp.start(module, KafkaBroker.freePort(), Map.of(
                "kafka.bootstrap.servers", TestKafka.bootstrapServers(), "eventkit.instance-id", "e2e-derived-zones-" + module,
                "kafka.session.timeout.ms", TestKafka.FAST_FAILOVER.get("session.timeout.ms"),
                "kafka.heartbeat.interval.ms", TestKafka.FAST_FAILOVER.get("heartbeat.interval.ms")));
        await().atMost(Duration.ofSeconds(120)).until(app::ready);
        return app;
    }
}
