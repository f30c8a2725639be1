package dev.edapatterns.billing.timezones;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.reference.CountryTimeZones;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;

/**
 * The derived time zones, read from this instance's store. The topic holds zone ids only; the offset is computed at
 * read time ("offsets computed where used"), so it follows DST without any record being written.
 */
@Path("/timezones")
@Produces(MediaType.APPLICATION_JSON)
public class TimeZonesResource {

    /** {@code tzVersion}: the tz data the zones were derived from; null for an admin's explicit zones. */
    public record CountryZones(String code, List<String> zones, String primaryZone, String tzVersion) {
    }

    public record CountryZonesNow(String code, List<String> zones, String primaryZone, String primaryOffset, String tzVersion) {
    }

    private final CompactedStore<String, CountryTimeZones> store;

    TimeZonesResource(CompactedStore<String, CountryTimeZones> store) {
        this.store = store;
    }

    @APIResponse(responseCode = "200", description = "Every country's time zones")
    @PermitAll // reference data
    @GET
    public List<CountryZones> all() {
        requireLoaded();
        return store.snapshot().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(e -> new CountryZones(e.getKey(), e.getValue().zones(), e.getValue().primaryZone(), e.getValue().tzVersion()))
                .toList();
    }

    @APIResponse(responseCode = "200", description = "The country's zones and its primary zone's offset now")
    @APIResponse(responseCode = "400", description = "Not a two-letter country code")
    @APIResponse(responseCode = "404", description = "No time zones known for this country")
    @APIResponse(responseCode = "503", description = "The time zones are still loading")
    @PermitAll // reference data
    @GET
    @Path("/{code}")
    public CountryZonesNow one(@Parameter(name = "code", example = "FR") @PathParam("code")
            @Pattern(regexp = "[A-Za-z]{2}", message = "an ISO 3166 alpha-2 code such as FR") String code) {
        requireLoaded();
        String key = code.toUpperCase(Locale.ROOT);
        CountryTimeZones zones = store.get(key).orElseThrow(
                () -> new ProblemException(404, "Not Found", "No time zones are known for country " + key + "."));
        return new CountryZonesNow(key, zones.zones(), zones.primaryZone(), offsetNow(zones.primaryZone()), zones.tzVersion());
    }

    /** "+01:00", "+00:00" (not "Z"); null for an id this JVM cannot resolve (written by a newer tz database). */
    static String offsetNow(String zone) {
        try {
            ZoneOffset offset = ZoneId.of(zone).getRules().getOffset(Instant.now());
            return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void requireLoaded() {
        if (!store.isLoaded()) {
            // a partial view would answer 404 for countries that exist
            throw new ProblemException(503, "Service Unavailable", "The time zones are still loading.");
        }
    }
}
