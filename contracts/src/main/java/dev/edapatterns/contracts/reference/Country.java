package dev.edapatterns.contracts.reference;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * A country on compacted {@code reference.countries} (key ISO 3166 alpha-2): order-app -> billing-app, order-app.
 *
 * @param currency  ISO 4217 code; null for a country without one (e.g. AQ)
 * @param timeZones null or empty: billing-app derives the zones from tz data (the normal case); otherwise the admin's
 *                  explicit override, the first one primary
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Country(String code, String name, String currency, List<String> timeZones) {
}
