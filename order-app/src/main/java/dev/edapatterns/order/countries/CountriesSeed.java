package dev.edapatterns.order.countries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.reference.CountriesSeeded;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * One seeding attempt of {@code reference.countries}, plain Kafka clients (tests run it against topics of their own).
 *
 * <p>Once per cluster, safe when instances start together: every instance uses the SAME transactional.id, and the
 * countries and the marker ({@link CountriesSeeded} on {@code reference.countries.seeded}) are written in ONE transaction.
 * <ol>
 * <li>{@code initTransactions()} fences any other seeder with this id (its open transaction is aborted, or it finishes
 * first) — from here on this instance is the only one that can commit a seed;</li>
 * <li>read the marker topic (read_committed): a marker means the cluster was seeded (or adopted) already — done. So a
 * country an admin deleted after the seed never comes back, and a restart writes nothing;</li>
 * <li>no marker: if {@code reference.countries} holds no committed record, write every ISO 3166 country; otherwise (a
 * cluster from before seeding existed) leave it alone. Then the marker, and commit.</li>
 * </ol>
 * A seeder fenced by a second instance gets {@link Outcome#FENCED} and writes nothing: the second one decides again,
 * after the first one's open transaction was aborted, so its aborted countries never count as "not empty".
 */
public final class CountriesSeed {

    public enum Outcome {
        /** This attempt wrote the countries and the marker. */
        SEEDED,
        /** The marker was there: nothing written. */
        ALREADY_SEEDED,
        /** No marker, but the topic already held countries: only the marker was written. */
        ADOPTED,
        /** Another instance with the same transactional.id took over: nothing written by this one. */
        FENCED
    }

    public record Result(Outcome outcome, int countries) {
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final String countriesTopic;
    private final String markerTopic;
    private final String transactionalId;

    public CountriesSeed(KafkaClients clients, String countriesTopic, String markerTopic, String transactionalId) {
        this.clients = clients;
        this.countriesTopic = countriesTopic;
        this.markerTopic = markerTopic;
        this.transactionalId = transactionalId;
    }

    /** Every ISO 3166 country of this JDK: its English name and its currency (none for e.g. AQ), no zones (derived). */
    public static List<Country> isoCountries() {
        List<Country> countries = new ArrayList<>();
        for (String code : Locale.getISOCountries()) {
            Locale region = new Locale("", code);
            countries.add(new Country(code, region.getDisplayCountry(Locale.ENGLISH), currency(region), null));
        }
        return countries;
    }

    private static String currency(Locale region) {
        try {
            Currency currency = Currency.getInstance(region);
            return currency == null ? null : currency.getCurrencyCode();
        } catch (IllegalArgumentException e) {
            return null; // a code the JDK's currency data does not cover
        }
    }

    /** Source named on the marker. */
    public static String jdkSource() {
        return "JDK " + Runtime.version();
    }

    /** Whether the marker is there (committed), without taking part in the fencing. */
    public boolean seeded() {
        return anyCommitted(markerTopic, r -> CountriesSeeded.KEY.equals(r.key()) && r.value() != null);
    }

    public Result run(List<Country> countries) {
        Map<String, Object> props = new HashMap<>(clients.transactionalProducer(transactionalId, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all")));
        KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), new EventSerializer<>());
        Duration closeTimeout = CLOSE_TIMEOUT;
        try {
            producer.initTransactions();
            if (seeded()) {
                return new Result(Outcome.ALREADY_SEEDED, 0);
            }
            boolean empty = !anyCommitted(countriesTopic, r -> true);
            List<Country> written = empty ? countries : List.of();
            producer.beginTransaction();
            for (Country c : written) {
                producer.send(new ProducerRecord<>(countriesTopic, c.code(), c));
            }
            producer.send(new ProducerRecord<>(markerTopic, CountriesSeeded.KEY,
                    new CountriesSeeded(Instant.now(), written.size(), jdkSource())));
            producer.commitTransaction();
            return new Result(empty ? Outcome.SEEDED : Outcome.ADOPTED, written.size());
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // nothing of a fenced producer can be delivered any more (the broker aborted its transaction): a plain
            // close would wait out the request timeout (30 s) for its rejected sends, and the instance's readiness with it
            closeTimeout = Duration.ZERO;
            return new Result(Outcome.FENCED, 0);
        } finally {
            producer.close(closeTimeout);
        }
    }

    /** Whether the topic holds a committed record matching {@code wanted} (read from the start to the end, no group). */
    private boolean anyCommitted(String topic, Predicate<ConsumerRecord<String, byte[]>> wanted) {
        Map<String, Object> props = new HashMap<>(clients.consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet)");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT); // read_committed: stable end
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, READ_TIMEOUT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(r)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
