package dev.edapatterns.contracts.reference;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.edapatterns.contracts.SchemaVersion;

/**
 * Zone ids of a country on compacted {@code reference.timezones} (key ISO alpha-2): billing-app derives it from
 * countries -> import-app, billing-app. Offsets are computed where used, so DST never changes the stored value.
 */
@SchemaVersion(1)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountryTimeZones(List<String> zones, String primaryZone) {
}
