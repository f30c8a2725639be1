package dev.edapatterns.contracts.reference;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * Zone ids of a country on compacted {@code reference.timezones} (key ISO alpha-2): billing-app derives it from
 * countries -> import-app, billing-app. Offsets are computed where used, so DST never changes the stored value.
 *
 * @param zones       IANA zone ids, the primary one first
 * @param primaryZone the zone a country-level time means (due dates, a contact's zone)
 * @param tzVersion   the tz data version the value was derived from ({@code <derivation data>/<java.time data>}, e.g.
 *                    {@code 2026e/2025a}); null when the zones are the admin's explicit list, which no tz data
 *                    release changes. Readers of schema 1 ignore it.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountryTimeZones(List<String> zones, String primaryZone, String tzVersion) {

    /** The admin's explicit zones (no tz data version). */
    public CountryTimeZones(List<String> zones, String primaryZone) {
        this(zones, primaryZone, null);
    }

    /** True when derived from tz data (so a later tz data release may derive it differently). */
    public boolean fromTzData() {
        return tzVersion != null;
    }
}
