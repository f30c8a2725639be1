package dev.edapatterns.order.countries;

import java.util.List;

import jakarta.validation.constraints.NotBlank;

import dev.edapatterns.eventkit.requests.CurrencyCode;

/**
 * Body of {@code PUT /countries/{code}}. The constraints are the rules that need only the field itself;
 * {@link CountryValidator} checks them together with the rules that need the path, the configuration or the other
 * zones, so the client gets all faults in one answer. {@code code} is optional; when present it must name the same
 * country as the path. {@code timeZones} is optional too: absent or empty, billing-app derives the zones from tz data;
 * a list is the admin's explicit override (the first is the primary). The zones are checked one by one in code, after their number is bounded: an element constraint
 * would be checked on every element of a list of any size first.
 */
public record CountryRequest(
        String code,
        @NotBlank(message = "A name is required.") String name,
        @NotBlank(message = "A currency (ISO 4217 code, e.g. EUR) is required.") @CurrencyCode(ignoreCase = true) String currency,
        List<String> timeZones) {
}
