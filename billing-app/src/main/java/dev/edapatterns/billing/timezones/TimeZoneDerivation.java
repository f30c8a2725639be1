package dev.edapatterns.billing.timezones;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.contracts.reference.CountryTimeZones;

/**
 * The derivation {@code Country -> CountryTimeZones}, as a pure function of the country and the tz data: a change of
 * name or currency derives an equal value (and the deriver emits nothing).
 *
 * <ul>
 * <li>no zones on the country (the normal case): the zones and primary zone the tz data gives its code
 * ({@link TzData}), stamped with the tz data version;</li>
 * <li>zones on the country: the admin's explicit override, copied — the first is the primary, duplicates are dropped, the
 * order kept; no tz data version, since no tz release changes it;</li>
 * <li>no value for a deleted country, a code the tz data has no zone for (BV, HM), or an override with an id the JVM's
 * tz database does not know — one bad id makes the whole list invalid, because silently dropping it could also change
 * the primary zone.</li>
 * </ul>
 *
 * {@link #isChange} decides whether a derived value replaces the current one: a newer tz data version alone is no
 * change, and a value derived from older tz data never replaces one derived from newer (rolling upgrades run both).
 */
public final class TimeZoneDerivation {

    private TimeZoneDerivation() {
    }

    public static Optional<CountryTimeZones> derive(Country country) {
        return derive(country, TzData.installed(), problem -> {
        });
    }

    /** As {@link #derive(Country)}; {@code problems} is told why a present country derives no value. */
    public static Optional<CountryTimeZones> derive(Country country, Consumer<String> problems) {
        return derive(country, TzData.installed(), problems);
    }

    public static Optional<CountryTimeZones> derive(Country country, TzData tz, Consumer<String> problems) {
        if (country == null) {
            return Optional.empty(); // deleted
        }
        List<String> zones = country.timeZones();
        if (zones == null || zones.isEmpty()) {
            Optional<CountryTimeZones> derived = country.code() == null ? Optional.empty() : tz.derive(country.code());
            if (derived.isEmpty()) {
                problems.accept("the tz data (" + tz.version() + ") has no time zone for it");
            }
            return derived;
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

    /**
     * Whether {@code next} (null: no value) must be written over {@code current} (null: none). Between two values
     * derived from tz data only the zones count, and only if {@code next} comes from the same or newer tz data.
     */
    public static boolean isChange(CountryTimeZones current, CountryTimeZones next) {
        if (next == null || current == null) {
            return current != next; // a tombstone only where a value exists
        }
        if (current.fromTzData() && next.fromTzData()) {
            if (TzData.VERSION_ORDER.compare(current.tzVersion(), next.tzVersion()) > 0) {
                return false; // an older release's derivation never replaces a newer one's
            }
            return !sameZones(current, next);
        }
        return !current.equals(next); // an override set, changed or removed
    }

    private static boolean sameZones(CountryTimeZones a, CountryTimeZones b) {
        return Objects.equals(a.zones(), b.zones()) && Objects.equals(a.primaryZone(), b.primaryZone());
    }
}
