package dev.edapatterns.order.countries;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.Validator;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;
import dev.edapatterns.order.OrderConfig;

/**
 * Turns a {@link CountryRequest} into the {@link Country} that goes on the topic, or refuses it with ONE 400
 * listing every bad field ({@code errors: [{field, message}]}): the request's Bean Validation constraints together
 * with the rules that need the path, the configuration ({@code order.countries.*}) or the other zones. Runs before
 * anything is produced: reference data that every other app derives from must never carry a value they cannot use.
 *
 * <p>Codes are case-insensitive and stored upper case ({@code fr} and {@code FR} are the same country, as in
 * ISO 3166 and ISO 4217); zone ids are kept exactly as given, since IANA ids are case-sensitive in
 * {@link ZoneId}.
 */
@Singleton
public class CountryValidator {

    private static final Set<String> COUNTRY_CODES = Set.of(Locale.getISOCountries());
    // region ids only (Europe/Paris, also UTC and Etc/GMT+2); raw offsets such as +02:00 are not in this set
    private static final Set<String> ZONE_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

    private final Validator constraints;
    private final int maxNameLength;
    private final int maxTimeZones;

    @Inject
    CountryValidator(Validator constraints, OrderConfig config) {
        this(constraints, config.countries().maxNameLength(), config.countries().maxTimeZones());
    }

    /** The rules alone, without config (unit tests). */
    CountryValidator(Validator constraints, int maxNameLength, int maxTimeZones) {
        this.constraints = constraints;
        this.maxNameLength = maxNameLength;
        this.maxTimeZones = maxTimeZones;
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
            throw new ProblemException(400, "Bad Request", "The body must be a JSON object with name, currency and "
                    + "(optionally) timeZones.", ProblemTypes.MALFORMED_BODY);
        }
        List<FieldError> errors = new ArrayList<>();

        Optional<String> code = normalizeCode(pathCode);
        if (code.isEmpty()) {
            errors.add(new FieldError("code", quoted(pathCode) + " (in the path) is not an ISO 3166-1 alpha-2 code."));
        } else if (body.code() != null && !code.get().equals(body.code().toUpperCase(Locale.ROOT))) {
            errors.add(new FieldError("code", quoted(body.code()) + " differs from the path (" + code.get() + ")."));
        }

        // the record's constraints; its components are flat, so a violation's path is the JSON field
        Map<String, String> violated = new HashMap<>();
        constraints.validate(body).forEach(v -> violated.putIfAbsent(v.getPropertyPath().toString(), v.getMessage()));

        String name = body.name() == null ? null : body.name().strip();
        if (violated.containsKey("name")) {
            errors.add(new FieldError("name", violated.get("name")));
        } else if (name.length() > maxNameLength) {
            errors.add(new FieldError("name", "The name is longer than " + maxNameLength + " characters."));
        }
        if (violated.containsKey("currency")) {
            errors.add(new FieldError("currency", violated.get("currency")));
        }

        // none (or an empty list): billing-app derives them; stored as none, so "no override" has one form
        List<String> zones = body.timeZones() == null || body.timeZones().isEmpty() ? null : body.timeZones();
        if (zones != null && zones.size() > maxTimeZones) {
            // one answer for the list, not one per element: the answer stays small whatever was sent
            errors.add(new FieldError("timeZones", "At most " + maxTimeZones + " time zones per country."));
        } else if (zones != null) {
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
            throw ProblemException.invalid("The country is invalid. " + detail, errors);
        }
        return new Country(code.get(), name, body.currency().toUpperCase(Locale.ROOT), zones == null ? null : List.copyOf(zones));
    }

    /** Client input echoed in a message, cut short: a huge value must not make a huge answer. */
    private static String quoted(String value) {
        return "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
    }
}
