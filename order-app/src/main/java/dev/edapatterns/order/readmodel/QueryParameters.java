package dev.edapatterns.order.readmodel;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.inject.Singleton;

import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.order.OrderConfig;

/**
 * The read model's query parameters, bounded before any query runs (limits from {@code order.read-model.*}); a fault
 * is 400 problem+json naming the parameter.
 */
@Singleton
public class QueryParameters {

    private final ReadModelConfig config;

    QueryParameters(OrderConfig config) {
        this.config = config.readModel();
    }

    /** {@code limit}: absent is the default page size; 1..max-limit. */
    public int limit(Integer limit) {
        if (limit == null) {
            return config.defaultLimit();
        }
        if (limit < 1 || limit > config.maxLimit()) {
            throw ProblemException.invalidParameter("limit", "must be 1.." + config.maxLimit() + ".");
        }
        return limit;
    }

    /** A free-text parameter: blank is absent; at most max-query-length characters, no control characters. */
    public String text(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > config.maxQueryLength()) {
            throw ProblemException.invalidParameter(name, "must be at most " + config.maxQueryLength() + " characters.");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidParameter(name, "must not contain control characters.");
        }
        return value.strip();
    }

    /** An email in a path or cursor, as {@code import.contacts} keys it (trimmed, lower case). */
    public String email(String name, String value) {
        String text = text(name, value);
        if (text == null) {
            throw ProblemException.invalidParameter(name, "must not be empty.");
        }
        return dev.edapatterns.contracts.imports.Contact.normalizeEmail(text);
    }

    /** ISO 3166 alpha-2, any case; blank is absent. */
    public String country(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.strip().matches("[A-Za-z]{2}")) {
            throw ProblemException.invalidParameter("country", "'" + Echo.clip(value) + "' is not two letters (ISO 3166).");
        }
        return value.strip().toUpperCase(Locale.ROOT);
    }

    /** ISO 4217, any case; required. */
    public String currency(String value) {
        if (value == null || !value.strip().matches("[A-Za-z]{3}")) {
            throw ProblemException.invalidParameter("currency", value == null ? "is required (three letters, ISO 4217)."
                    : "'" + Echo.clip(value) + "' is not three letters (ISO 4217).");
        }
        return value.strip().toUpperCase(Locale.ROOT);
    }

    /** An ISO date (2026-12-07); absent: {@code orElse}. */
    public LocalDate date(String name, String value, LocalDate orElse) {
        if (value == null || value.isBlank()) {
            return orElse;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidParameter(name, "'" + Echo.clip(value) + "' is not a date (yyyy-mm-dd).");
        }
    }

    /** {@code from <= to}, at most max-report-days days. */
    public void range(LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw ProblemException.invalidParameter("from", "must not be after 'to'.");
        }
        if (from.plusDays(config.maxReportDays()).isBefore(to.plusDays(1))) {
            throw ProblemException.invalidParameter("to", "a report spans at most " + config.maxReportDays() + " days.");
        }
    }
}
