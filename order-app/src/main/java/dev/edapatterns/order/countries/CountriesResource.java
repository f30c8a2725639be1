package dev.edapatterns.order.countries;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.Roles;
import io.smallrye.mutiny.Uni;

/**
 * The countries reference data: order-app owns {@code reference.countries}. Writes (role {@code reference-admin})
 * go to the topic and answer once this instance's store shows them; reads come from the store and are public.
 */
@Path("/countries")
@Produces(MediaType.APPLICATION_JSON)
public class CountriesResource {

    /**
     * The OpenAPI examples: France, the country the payments example ships to. Without {@code timeZones}, billing-app
     * derives them from tz data; an explicit list (first = primary) overrides that.
     */
    static final String EXAMPLE_CODE = "FR";
    static final String EXAMPLE_BODY = """
            {"name": "France", "currency": "EUR"}""";

    private final CompactedStore<String, Country> store;
    private final CountryValidator validator;
    private final CountryPublisher publisher;
    private final CountrySeeder seeder;

    CountriesResource(CompactedStore<String, Country> store, CountryValidator validator, CountryPublisher publisher,
            CountrySeeder seeder) {
        this.store = store;
        this.validator = validator;
        this.publisher = publisher;
        this.seeder = seeder;
    }

    @APIResponse(responseCode = "200", description = "Every country")
    @APIResponse(responseCode = "503", description = "The countries are still loading")
    @GET
    @PermitAll
    public List<Country> list() {
        requireLoaded();
        return store.snapshot().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).toList();
    }

    @APIResponse(responseCode = "200", description = "The country")
    @APIResponse(responseCode = "404", description = "No country with this code")
    @APIResponse(responseCode = "503", description = "The countries are still loading")
    @GET
    @Path("/{code}")
    @PermitAll
    public Country get(@Parameter(example = EXAMPLE_CODE) @PathParam("code") String code) {
        requireLoaded();
        return find(code);
    }

    /** Upsert: 201 + Location when the country is new, 200 when it replaced one; the body is what was stored. */
    @APIResponse(responseCode = "200", description = "Updated; this instance's store shows it")
    @APIResponse(responseCode = "201", description = "Created; this instance's store shows it")
    @APIResponse(responseCode = "400", description = "Invalid code or body")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role reference-admin")
    @APIResponse(responseCode = "503", description = "Still loading, or Kafka did not confirm the change")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "example", value = EXAMPLE_BODY)))
    @PUT
    @Path("/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REFERENCE_ADMIN)
    public Uni<Response> put(@Parameter(example = EXAMPLE_CODE) @PathParam("code") String code, CountryRequest body) {
        Country country = validator.validate(code, body);
        requireLoaded(); // "new or not" is only known once the whole topic is in the store
        boolean created = store.get(country.code()).isEmpty();
        return publisher.upsert(country).map(done -> created
                ? Response.created(URI.create("/countries/" + country.code())).entity(country).build()
                : Response.ok(country).build());
    }

    @APIResponse(responseCode = "204", description = "Deleted (a tombstone on reference.countries)")
    @APIResponse(responseCode = "404", description = "No country with this code")
    @APIResponse(responseCode = "401", description = "No or wrong credentials (HTTP Basic)")
    @APIResponse(responseCode = "403", description = "The user lacks role reference-admin")
    @APIResponse(responseCode = "503", description = "Still loading, or Kafka did not confirm the change")
    @DELETE
    @Path("/{code}")
    @RolesAllowed(Roles.REFERENCE_ADMIN)
    public Uni<Response> delete(@Parameter(example = EXAMPLE_CODE) @PathParam("code") String code) {
        requireLoaded();
        String key = code.toUpperCase(Locale.ROOT);
        find(key); // 404 unless stored
        return publisher.delete(key).map(done -> Response.noContent().build());
    }

    /** By the stored key (upper case), not by the JDK's ISO list: a key it no longer knows stays readable. */
    private Country find(String code) {
        return store.get(code.toUpperCase(Locale.ROOT))
                .orElseThrow(() -> new ProblemException(404, "Not Found", "No country with code " + Echo.clip(code) + "."));
    }

    private void requireLoaded() {
        if (!store.isLoaded() || !seeder.settled()) {
            // before the replay is done an absent country may just not be read yet: no answer beats a wrong one; and
            // on a fresh cluster the seed comes first, so that it never overwrites an admin's write
            throw new ProblemException(503, "Service Unavailable", "The countries are still loading; retry shortly.");
        }
    }
}
