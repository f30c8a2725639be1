package dev.edapatterns.billing.renewals;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * When a subscription is due: at local midnight of its {@code paidUntil} in the user's zone, the primary zone of
 * the user's country in {@code reference.timezones} (UTC when the country or its zone is unknown); and where a charge
 * moves {@code paidUntil} to ({@link #nextPaidUntil(LocalDate, LocalDate)}).
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
        return dueAt(subscription, zone(subscription.country()));
    }

    private static Instant dueAt(Subscription subscription, ZoneId zone) {
        return subscription.paidUntil().atStartOfDay(zone).toInstant();
    }

    public boolean isDue(Subscription subscription, Instant now) {
        return !dueAt(subscription).isAfter(now);
    }

    /**
     * ACTIVE, with a {@code paidUntil}, and due at {@code now}: the test of a pass over many subscriptions (the
     * scheduler's tick, the dashboard), which looks each country's zone up once, not once per subscription. One per
     * pass, on one thread (its zones are remembered in a plain map).
     */
    public Predicate<Subscription> renewableAt(Instant now) {
        Map<String, ZoneId> zones = new HashMap<>();
        return s -> s.status() == Subscription.Status.ACTIVE && s.paidUntil() != null
                && !dueAt(s, zones.computeIfAbsent(s.country(), this::zone)).isAfter(now);
    }

    /** Today in the country's zone. */
    public LocalDate today(String country) {
        return LocalDate.now(clock.withZone(zone(country)));
    }

    /** Where a charge of this subscription's current period moves its {@code paidUntil}: see below, today in its zone. */
    public LocalDate nextPaidUntil(Subscription subscription) {
        return nextPaidUntil(subscription.paidUntil(), today(subscription.country()));
    }

    /**
     * The first period end after {@code today}: {@code paidUntil} plus the fewest whole months (at least one) that
     * passes today. One charge covers an overdue subscription up to there, so it is charged once, not once per missed
     * month (each of which would be due at once again, one charge per scheduler tick). Counted in months from
     * {@code paidUntil} itself, so a subscription paid until the 31st stays on the 31st where a month has one.
     */
    static LocalDate nextPaidUntil(LocalDate paidUntil, LocalDate today) {
        long months = Math.max(1, ChronoUnit.MONTHS.between(paidUntil, today));
        LocalDate next = paidUntil.plusMonths(months);
        while (!next.isAfter(today)) { // at most twice: MONTHS.between rounds down
            next = paidUntil.plusMonths(++months);
        }
        return next;
    }

    private static Optional<ZoneId> zoneId(String id) {
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            return Optional.empty(); // written by a newer tz database than this JVM's
        }
    }
}
