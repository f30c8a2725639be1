package dev.edapatterns.billing.timezones;

import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.awaitConsumed;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.committedOffsets;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.country;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.history;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.put;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.zones;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Nothing is consumed (the group is not even joined) before the time zones store is loaded; then it runs. */
@QuarkusTest
@TestProfile(GatedStoreProfile.class)
@WithTestResource(KafkaBrokerTestResource.class)
class DeriverWaitsForTheStoreTest {

    @Inject
    TimeZoneDeriver deriver;

    @Test
    void consumesNothingUntilTheStoreIsLoaded() throws Exception {
        RecordMetadata written = put(country("PT", "Europe/Lisbon", "Atlantic/Azores", "Atlantic/Madeira"));

        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'time zones deriver' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'time zones deriver' }.data.state", startsWith("paused"))
                .body("checks.find { it.name == 'event-kit stores' }.data.'" + GatedStoreProfile.TOPIC + "'", startsWith("loading"));
        // watched every 250 ms for 3 s (long enough for a consumer to join, fetch and commit several times over): any
        // sign of consumption fails at once
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .failFast("the deriver consumed or joined its group before the store was loaded",
                        () -> !deriver.paused() || deriver.stats().batches() > 0
                                || !committedOffsets(GatedStoreProfile.GROUP).isEmpty()
                                || members(GatedStoreProfile.GROUP).isPresent())
                .until(() -> true);
        assertTrue(deriver.paused());
        assertEquals(0, deriver.stats().batches());
        assertEquals(Map.of(), committedOffsets(GatedStoreProfile.GROUP));
        assertEquals(Optional.empty(), members(GatedStoreProfile.GROUP), "nobody joined the group");

        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(GatedStoreProfile.TOPIC, Topics.REFERENCE_COUNTRIES.partitions(), (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        awaitConsumed(GatedStoreProfile.GROUP, written);
        assertEquals(List.of(zones("Europe/Lisbon", "Atlantic/Azores", "Atlantic/Madeira")),
                history(GatedStoreProfile.TIMEZONES, "PT"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'time zones deriver' }.data.state", equalTo("running")));
        assertTrue(members(GatedStoreProfile.GROUP).orElse(0) > 0);
    }

    /** Members of a group, empty when the broker does not know the group at all. */
    private static Optional<Integer> members(String group) throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            return d.members().isEmpty() ? Optional.empty() : Optional.of(d.members().size());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
