package dev.edapatterns.billing.timezones;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.edapatterns.contracts.Topic;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.provisioning.TopicProvisioner;
import dev.edapatterns.eventkit.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Before the app starts: countries on {@code reference.countries} and, on {@code reference.timezones}, what an earlier
 * deriver left there — mostly the values the countries derive, plus a missing one, an outdated one, a value whose
 * country has since been deleted and an already written tombstone. The app then derives with a consumer group that
 * never committed anything (like lost offsets, or a new group id).
 */
public class AlreadyDerivedTopics implements QuarkusTestResourceLifecycleManager {

    /** Countries whose derived value is already on the topic. */
    static final List<Country> DERIVED = List.of(
            TimeZonesTestSupport.country("NO", "Europe/Oslo"),
            TimeZonesTestSupport.country("SE", "Europe/Stockholm"),
            new Country("FI", "Finland", "EUR", List.of("Europe/Helsinki", "Europe/Mariehamn")));
    /** No derived value yet. */
    static final Country MISSING = TimeZonesTestSupport.country("IS", "Atlantic/Reykjavik");
    /** Derived value outdated (Europe/Berlin). */
    static final Country OUTDATED = TimeZonesTestSupport.country("DK", "Europe/Copenhagen", "Atlantic/Faroe");
    /** Deleted country whose derived value is still there. */
    static final String DELETED = "EE";
    /** Deleted country whose derived value was already deleted. */
    static final String DELETED_BEFORE = "LV";

    @Override
    public Map<String, String> start() {
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            new TopicProvisioner(admin).provision(List.of(Topics.REFERENCE_COUNTRIES, Topics.REFERENCE_TIMEZONES), true,
                    Optional.empty());
        }
        for (Country c : DERIVED) {
            send(Topics.REFERENCE_COUNTRIES, c.code(), c);
            send(Topics.REFERENCE_TIMEZONES, c.code(), TimeZoneDerivation.derive(c).orElseThrow());
        }
        send(Topics.REFERENCE_COUNTRIES, MISSING.code(), MISSING);
        send(Topics.REFERENCE_COUNTRIES, OUTDATED.code(), OUTDATED);
        send(Topics.REFERENCE_TIMEZONES, OUTDATED.code(), TimeZonesTestSupport.zones("Europe/Berlin"));
        send(Topics.REFERENCE_COUNTRIES, DELETED, TimeZonesTestSupport.country(DELETED, "Europe/Tallinn"));
        send(Topics.REFERENCE_TIMEZONES, DELETED, TimeZonesTestSupport.zones("Europe/Tallinn"));
        send(Topics.REFERENCE_COUNTRIES, DELETED, null);
        // compaction already removed the country's value: only its tombstone is left to read
        send(Topics.REFERENCE_TIMEZONES, DELETED_BEFORE, TimeZonesTestSupport.zones("Europe/Riga"));
        send(Topics.REFERENCE_COUNTRIES, DELETED_BEFORE, null);
        send(Topics.REFERENCE_TIMEZONES, DELETED_BEFORE, null);
        return Map.of();
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        // the default partitioner, as order-app and the deriver's predecessor would: same key, same partition number
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(TestKafka.clients().producer(Map.of()),
                topic.keySerializer(), topic.valueSerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }

    static CountryTimeZones derivedOf(Country country) {
        return TimeZoneDerivation.derive(country).orElseThrow();
    }
}
