package dev.edapatterns.order.countries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.reference.CountriesSeeded;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.kafka.FencedTransaction;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/**
 * One seeding attempt of {@code reference.countries}, once per cluster and safe when instances start together: an
 * event-kit {@link FencedTransaction} (every instance uses the SAME transactional.id; the countries and the marker,
 * {@link CountriesSeeded} on {@code reference.countries.seeded}, are written in ONE transaction). Tests run it against
 * topics of their own.
 * <ol>
 * <li>the attempt fences any other seeder with this id — from here on this instance is the only one that can commit a
 * seed;</li>
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

    private final FencedTransaction transaction;
    private final String countriesTopic;
    private final String markerTopic;

    public CountriesSeed(KafkaClients clients, String countriesTopic, String markerTopic, String transactionalId) {
        this.transaction = new FencedTransaction(clients, transactionalId);
        this.countriesTopic = countriesTopic;
        this.markerTopic = markerTopic;
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
        return transaction.anyCommitted(markerTopic, CountriesSeed::isMarker);
    }

    public Result run(List<Country> countries) {
        return transaction.run(attempt -> {
            if (attempt.anyCommitted(markerTopic, CountriesSeed::isMarker)) {
                return new Result(Outcome.ALREADY_SEEDED, 0);
            }
            boolean empty = !attempt.anyCommitted(countriesTopic, r -> true);
            List<Country> written = empty ? countries : List.of();
            for (Country c : written) {
                attempt.send(countriesTopic, c.code(), c);
            }
            attempt.send(markerTopic, CountriesSeeded.KEY, new CountriesSeeded(Instant.now(), written.size(), jdkSource()));
            return new Result(empty ? Outcome.SEEDED : Outcome.ADOPTED, written.size());
        }).orElse(new Result(Outcome.FENCED, 0));
    }

    private static boolean isMarker(ConsumerRecord<String, byte[]> r) {
        return CountriesSeeded.KEY.equals(r.key()) && r.value() != null;
    }
}
