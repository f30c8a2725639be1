package dev.edapatterns.contracts.reference;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * The marker on compacted {@code reference.countries.seeded} (key {@code reference.countries}): the cluster's countries
 * were seeded (or an existing topic adopted) once; written in the same transaction as the seeded countries.
 *
 * @param countries how many countries the seed wrote (0: the topic already held countries and was left as it was)
 * @param source    where the seeded names and currencies came from (e.g. {@code JDK 17.0.15})
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountriesSeeded(Instant at, int countries, String source) {

    /** The marker's one key. */
    public static final String KEY = "reference.countries";
}
