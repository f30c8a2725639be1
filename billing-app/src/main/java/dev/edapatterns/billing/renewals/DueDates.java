package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * When a subscription is due: at local midnight of its {@code paidUntil} in the user's zone, the primary zone of
 * the user's country in {@code reference.timezones} (UTC when the country or its zone is unknown).
 */
@Singleton
public class DueDates {

    private final Function<String, Optional<CountryTimeZones>> timeZones;
    private final Clock clock;

    @Inject
    DueDates(CompactedStore<String, CountryTimeZones> timeZones, Clock clock) {
        this(timeZones::get, clock);
    }

    /** Over any lookup of a country's zones: the rules alone, without a store (unit tests). */
    DueDates(Function<String, Optional<CountryTimeZones>> timeZones, Clock clock) {
        this.timeZones = timeZones;
        this.clock = clock;
    }

    public ZoneId zone(String country) {
        return timeZones.apply(country).map(CountryTimeZones::primaryZone).flatMap(DueDates::zoneId).orElse(ZoneOffset.UTC);
    }

    public Instant dueAt(Subscription subscription) {
        return subscription.paidUntil().atStartOfDay(zone(subscription.country())).toInstant();
    }

    public boolean isDue(Subscription subscription, Instant now) {
        return !dueAt(subscription).isAfter(now);
    }

    /** Today in the country's zone. */
    public LocalDate today(String country) {
        return LocalDate.now(clock.withZone(zone(country)));
    }

    private static Optional<ZoneId> zoneId(String id) {
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            return Optional.empty(); // written by a newer tz database than this JVM's
        }
    }
}
