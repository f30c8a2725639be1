package dev.edapatterns.order.countries;

import java.util.List;

/**
 * Body of {@code PUT /countries/{code}}. Every field may be absent or wrong here: {@link CountryValidator} says
 * what is wrong with each one, so the client gets all faults in one answer. {@code code} is optional; when
 * present it must name the same country as the path.
 */
public record CountryRequest(String code, String name, String currency, List<String> timeZones) {
}
