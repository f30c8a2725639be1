package dev.edapatterns.eventkit.store;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.TestTopics;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.Management;
import dev.edapatterns.eventkit.testing.Observability;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The library wired into a Quarkus app: provisioning at start-up, stores in readiness. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class StoreReadinessTest {

    @Inject
    Stores stores;

    @Test
    void startupCreatedTheDeclaredTopicsAsCatalogued() throws Exception {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            for (Topic<?, ?> t : List.of(Topics.REFERENCE_COUNTRIES, Topics.PROGRESS)) {
                assertEquals(t.partitions(), admin.describeTopics(List.of(t.name())).allTopicNames().get().get(t.name())
                        .partitions().size());
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, t.name());
                assertEquals(t.cleanupPolicy().configValue(),
                        admin.describeConfigs(List.of(r)).all().get().get(r).get("cleanup.policy").value());
            }
        }
    }

    @Test
    void readinessIsDownWhileAStoreLoadsThenUp() throws Exception {
        Topic<String, Country> topic = Topic.builder(TestTopics.unique("ready"), Country.class).compacted().build();
        TestTopics.create(topic);
        int records = 200_000; // big enough that loading takes longer than one HTTP round trip
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of(
                "linger.ms", 20, "batch.size", 262144, "compression.type", "lz4")),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] value = topic.valueSerializer().serialize(topic.name(), new Country("FR", "France", "EUR", List.of("Europe/Paris")));
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic.name(), ("k" + (i % 50_000)).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        Management.given().get("/q/health/ready").then().statusCode(200);

        CompactedStore<String, Country> store = stores.compacted(topic);
        try {
            Management.given().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'event-kit stores' }.data.'" + topic.name() + "'", startsWith("loading"));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Management.given().get("/q/health/ready").then()
                    .statusCode(200)
                    .body("checks.find { it.name == 'event-kit stores' }.data.'" + topic.name() + "'", startsWith("loaded: 50000 entries")));
            assertEquals(50_000, store.size());
            // the figures behind readiness, for operators
            String report = "find { it.topic == '" + topic.name() + "' }";
            Management.given().get("/ops/stores").then().statusCode(200)
                    .body(report + ".loaded", equalTo(true))
                    .body(report + ".view.entries", equalTo(50_000))
                    .body(report + ".view.records", equalTo(records))
                    .body(report + ".view.lag", equalTo(0))
                    .body(report + ".view.loadDuration", org.hamcrest.Matchers.notNullValue());
            // and as Prometheus metrics, tagged by store
            String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertEquals(1, Observability.value(metrics, "eventkit_store_loaded", "store", topic.name()));
            assertEquals(50_000, Observability.value(metrics, "eventkit_store_entries", "store", topic.name()));
            assertEquals(0, Observability.value(metrics, "eventkit_store_lag", "store", topic.name()));
            assertEquals(records, Observability.value(metrics, "eventkit_store_records_read_total", "store", topic.name()));
        } finally {
            stores.close(store);
        }
        // a closed store's meters are gone (a re-opened one registers afresh)
        assertTrue(Observability.samples(Management.given().get("/q/metrics").asString()).stream()
                .noneMatch(s -> topic.name().equals(s.labels().get("store"))));
    }
}
