package dev.edapatterns.order.countries;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.OrderConfig;

/**
 * Turns a {@link CountryRequest} into the {@link Country} that goes on the topic, or refuses it with ONE 400
 * listing every bad field ({@code errors: [{field, message}]}). Runs before anything is produced: reference data
 * that every other app derives from must never carry a value they cannot use.
 *
 * <p>Codes are case-insensitive and stored upper case ({@code fr} and {@code FR} are the same country, as in
 * ISO 3166 and ISO 4217); zone ids are kept exactly as given, since IANA ids are case-sensitive in
 * {@link ZoneId}.
 */
@Singleton
public class CountryValidator {

    /** One fault of a request; {@code field} names the JSON field ({@code timeZones[2]} for a list element). */
    public record FieldError(String field, String message) {
    }

    private static final Set<String> COUNTRY_CODES = Set.of(Locale.getISOCountries());
    private static final Set<String> CURRENCY_CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    // region ids only (Europe/Paris, also UTC and Etc/GMT+2); raw offsets such as +02:00 are not in this set
    private static final Set<String> ZONE_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

    private final int maxNameLength;

    @Inject
    CountryValidator(OrderConfig config) {
        this(config.countries().maxNameLength());
    }

    /** The rules alone, without config (unit tests). */
    CountryValidator(int maxNameLength) {
        this.maxNameLength = maxNameLength;
    }

    /** The code in its stored form (upper case) if it is an ISO 3166-1 alpha-2 code. */
    public static Optional<String> normalizeCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String upper = code.toUpperCase(Locale.ROOT);
        return COUNTRY_CODES.contains(upper) ? Optional.of(upper) : Optional.empty();
    }

    public Country validate(String pathCode, CountryRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("The body must be a JSON object with name, currency and timeZones.");
        }
        List<FieldError> errors = new ArrayList<>();

        Optional<String> code = normalizeCode(pathCode);
        if (code.isEmpty()) {
            errors.add(new FieldError("code", quoted(pathCode) + " (in the path) is not an ISO 3166-1 alpha-2 code."));
        } else if (body.code() != null && !code.get().equals(body.code().toUpperCase(Locale.ROOT))) {
            errors.add(new FieldError("code", quoted(body.code()) + " differs from the path (" + code.get() + ")."));
        }

        String name = body.name() == null ? null : body.name().strip();
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError("name", "A name is required."));
        } else if (name.length() > maxNameLength) {
            errors.add(new FieldError("name", "The name is longer than " + maxNameLength + " characters."));
        }

        String currency = body.currency() == null ? null : body.currency().toUpperCase(Locale.ROOT);
        if (currency == null || currency.isBlank()) {
            errors.add(new FieldError("currency", "A currency (ISO 4217 code, e.g. EUR) is required."));
        } else if (!CURRENCY_CODES.contains(currency)) {
            errors.add(new FieldError("currency", quoted(body.currency()) + " is not an ISO 4217 currency code."));
        }

        List<String> zones = body.timeZones();
        if (zones == null || zones.isEmpty()) {
            errors.add(new FieldError("timeZones", "At least one time zone is required (the first is the primary)."));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < zones.size(); i++) {
                String zone = zones.get(i);
                String field = "timeZones[" + i + "]";
                if (zone == null || zone.isBlank()) {
                    errors.add(new FieldError(field, "A time zone id is required."));
                } else if (!ZONE_IDS.contains(zone)) {
                    errors.add(new FieldError(field, quoted(zone)
                            + " is not an IANA time zone id (a region such as Europe/Paris, not an offset)."));
                } else if (!seen.add(zone)) {
                    errors.add(new FieldError(field, quoted(zone) + " is listed more than once."));
                }
            }
        }

        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining(" "));
            throw ProblemException.badRequest("The country is invalid. " + detail).with("errors", errors);
        }
        return new Country(code.get(), name, currency, List.copyOf(zones));
    }

    /** Client input echoed in a message, cut short: a huge value must not make a huge answer. */
    private static String quoted(String value) {
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }
}
