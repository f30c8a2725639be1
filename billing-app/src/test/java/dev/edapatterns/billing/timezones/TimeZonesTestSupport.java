package dev.edapatterns.billing.timezones;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/** Raw Kafka access for the billing tests: countries in, committed offsets and derived records out. */
public final class TimeZonesTestSupport {

    static final String GROUP = "billing-timezones";

    private TimeZonesTestSupport() {
    }

    static Country country(String code, String... zones) {
        return new Country(code, "Country " + code, "EUR", List.of(zones));
    }

    /** Writes a country as order-app does (String key, the contracts' serializer), acknowledged. */
    public static RecordMetadata put(Country country) {
        return send(Topics.REFERENCE_COUNTRIES, country.code(), country);
    }

    static RecordMetadata delete(String code) {
        return send(Topics.REFERENCE_COUNTRIES, code, null);
    }

    static <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                topic.keySerializer(), topic.valueSerializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record no Country can be read from, on the key's partition. */
    static RecordMetadata poison(String code) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.REFERENCE_COUNTRIES.name(), code,
                    "{not json".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the group committed an offset past this record: it was processed (in a committed transaction). */
    static void awaitConsumed(String group, RecordMetadata record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> committedOffset(group, tp) > record.offset());
    }

    static long committedOffset(String group, TopicPartition tp) {
        return committedOffsets(group).getOrDefault(tp, -1L);
    }

    static Map<TopicPartition, Long> committedOffsets(String group) {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec()), new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(group).get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every committed value of a key on a time zones topic, in order; null for a tombstone. */
    static List<CountryTimeZones> history(Topic<String, CountryTimeZones> topic, String code) {
        List<CountryTimeZones> values = new ArrayList<>();
        for (ConsumerRecord<String, CountryTimeZones> r : TopicRecords.readCommitted(topic)) {
            if (code.equals(r.key())) {
                values.add(r.value());
            }
        }
        return values;
    }

    static List<CountryTimeZones> history(String code) {
        return history(Topics.REFERENCE_TIMEZONES, code);
    }

    /** The derivation's promise over the whole topic: no key ever repeats its value (nor a tombstone). */
    static void assertNoRepeatedValues(Topic<String, CountryTimeZones> topic) {
        Map<String, List<CountryTimeZones>> byKey = new HashMap<>();
        for (ConsumerRecord<String, CountryTimeZones> r : TopicRecords.readCommitted(topic)) {
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        byKey.forEach((key, values) -> {
            for (int i = 1; i < values.size(); i++) {
                assertTrue(!Objects.equals(values.get(i - 1), values.get(i)), key + " repeats a value: " + values);
            }
            assertTrue(values.get(0) != null, key + " starts with a tombstone: " + values);
        });
    }

    static CountryTimeZones zones(String... zones) {
        return new CountryTimeZones(List.of(zones), zones[0]);
    }
}
