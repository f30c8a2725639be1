package dev.edapatterns.billing.timezones;

import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.assertNoRepeatedValues;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.committedOffsets;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.history;
import static dev.edapatterns.billing.timezones.TimeZonesTestSupport.zones;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A deriver without any committed offset, over a time zones topic that already holds the derived values, writes
 * nothing for them: "is it a change?" is answered by the topic (through the store), not by what this process remembers.
 * The few seeded differences prove it did run. (What this does not show: a restart with the same group, which relies on
 * the offsets committed in the transactions — that is the process-level restart test.)
 */
@QuarkusTest
@TestProfile(FreshGroupProfile.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(AlreadyDerivedTopics.class)
class FreshDeriverOverDerivedTopicTest {

    @Test
    void writesOnlyTheDifferences() {
        awaitGroupAtTheEndOfCountries();

        for (Country c : AlreadyDerivedTopics.DERIVED) {
            assertEquals(List.of(AlreadyDerivedTopics.derivedOf(c)), history(c.code()), c.code() + " was written again");
        }
        assertEquals(List.of(AlreadyDerivedTopics.derivedOf(AlreadyDerivedTopics.MISSING)),
                history(AlreadyDerivedTopics.MISSING.code()));
        assertEquals(List.of(zones("Europe/Berlin"), AlreadyDerivedTopics.derivedOf(AlreadyDerivedTopics.OUTDATED)),
                history(AlreadyDerivedTopics.OUTDATED.code()));
        assertEquals(Arrays.asList(zones("Europe/Tallinn"), null), history(AlreadyDerivedTopics.DELETED));
        assertEquals(Arrays.asList(zones("Europe/Riga"), null), history(AlreadyDerivedTopics.DELETED_BEFORE));
        assertNoRepeatedValues(Topics.REFERENCE_TIMEZONES);
    }

    /** Until the fresh group committed offsets up to the end of reference.countries (as of now). */
    private static void awaitGroupAtTheEndOfCountries() {
        Map<TopicPartition, Long> end;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TestKafka.clients().consumer(Map.of()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(Topics.REFERENCE_COUNTRIES.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            end = c.endOffsets(partitions);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<TopicPartition, Long> committed = committedOffsets(FreshGroupProfile.GROUP);
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
        });
    }
}
