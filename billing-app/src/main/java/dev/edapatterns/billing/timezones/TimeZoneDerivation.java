package dev.edapatterns.billing.timezones;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;

/**
 * The derivation {@code Country -> CountryTimeZones}, as a pure function: the result depends on the zone list only,
 * so a change of name or currency derives an equal value (and the deriver emits nothing).
 *
 * <ul>
 * <li>zone ids only: offsets are computed where used, so DST never changes the stored value;</li>
 * <li>the first zone is the primary one; duplicates are dropped, the order kept;</li>
 * <li>no value for a deleted country, an empty list or a list with an id the JVM's tz database does not know — one bad
 * id makes the whole list invalid, because silently dropping it could also change the primary zone.</li>
 * </ul>
 */
public final class TimeZoneDerivation {

    private TimeZoneDerivation() {
    }

    public static Optional<CountryTimeZones> derive(Country country) {
        return derive(country, problem -> {
        });
    }

    /** As {@link #derive(Country)}; {@code problems} is told why a present country derives no value. */
    public static Optional<CountryTimeZones> derive(Country country, Consumer<String> problems) {
        if (country == null) {
            return Optional.empty(); // deleted
        }
        List<String> zones = country.timeZones();
        if (zones == null || zones.isEmpty()) {
            problems.accept("it lists no time zone");
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String zone : zones) {
            if (zone == null || zone.isBlank()) {
                problems.accept("its time zones contain a blank entry");
                return Optional.empty();
            }
            try {
                ids.add(ZoneId.of(zone.strip()).getId());
            } catch (DateTimeException e) {
                problems.accept("'" + zone + "' is not a known time zone id");
                return Optional.empty();
            }
        }
        List<String> list = List.copyOf(ids);
        return Optional.of(new CountryTimeZones(list, list.get(0)));
    }
}
