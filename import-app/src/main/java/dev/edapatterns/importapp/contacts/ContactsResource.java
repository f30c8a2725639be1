package dev.edapatterns.importapp.contacts;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.errors.Echo;
import dev.edapatterns.eventkit.errors.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Contacts read from the {@link ContactsView}; a delete is a tombstone on {@code import.contacts}. Contacts belong to
 * the shop: reading, listing and deleting them needs role {@code crm}.
 */
@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactsResource {

    /** A page of contacts; {@code next} is the {@code after} of the next page, null at the end. */
    public record Page(List<Contact> contacts, String next) {
    }

    public static final String CRM_ROLE = "crm";
    private static final String LIMIT_RANGE = "must be between 1 and 1000";
    /** The contact the POST /imports example uploads. */
    private static final String EMAIL_EXAMPLE = "ann@example.com";

    private final ContactsView view;
    /** channel contacts-tombstones-out: import.contacts, acks=all, idempotent; only tombstones go through it */
    private final MutinyEmitter<Record<String, byte[]>> tombstones;

    ContactsResource(ContactsView view, @Channel("contacts-tombstones-out") MutinyEmitter<Record<String, byte[]>> tombstones) {
        this.view = view;
        this.tombstones = tombstones;
    }

    @APIResponse(responseCode = "200", description = "The contact")
    @APIResponse(responseCode = "404", description = "No contact with this email")
    @APIResponse(responseCode = "503", description = "The contacts view is disabled on this instance")
    @GET
    @Path("/{email}")
    @RolesAllowed(CRM_ROLE)
    public Contact get(@Parameter(name = "email", example = EMAIL_EXAMPLE) @PathParam("email") String email) {
        requireView();
        return view.get(Contact.normalizeEmail(email)).orElseThrow(() -> notFound(email));
    }

    @APIResponse(responseCode = "200", description = "A page of contacts in email order")
    @APIResponse(responseCode = "400", description = "limit outside 1..1000")
    @APIResponse(responseCode = "503", description = "The contacts view is disabled on this instance")
    @GET
    @RolesAllowed(CRM_ROLE)
    public Page page(@Parameter(name = "after", example = "a") @QueryParam("after") String after,
            @Parameter(name = "limit", example = "100") @QueryParam("limit") @DefaultValue("100")
            @Min(value = 1, message = LIMIT_RANGE) @Max(value = 1000, message = LIMIT_RANGE) int limit) {
        requireView();
        List<Contact> contacts = view.page(after == null ? null : Contact.normalizeEmail(after), limit);
        return new Page(contacts, contacts.size() == limit ? contacts.get(contacts.size() - 1).email() : null);
    }

    @APIResponse(responseCode = "204", description = "Deleted (a tombstone on import.contacts)")
    @APIResponse(responseCode = "404", description = "No contact with this email")
    @APIResponse(responseCode = "503", description = "The contacts view is disabled on this instance")
    @DELETE
    @Path("/{email}")
    @Blocking
    @RolesAllowed(CRM_ROLE)
    public Response delete(@Parameter(name = "email", example = EMAIL_EXAMPLE) @PathParam("email") String email)
            throws Exception {
        requireView();
        String key = Contact.normalizeEmail(email);
        if (view.get(key).isEmpty()) {
            throw notFound(email);
        }
        tombstones.send(Record.of(key, null)).await().atMost(Duration.ofSeconds(30));
        return Response.noContent().build();
    }

    private void requireView() {
        if (!view.enabled()) {
            throw new ProblemException(503, "Service Unavailable",
                    "The contacts view is disabled on this instance (import.contacts-view.enabled=false).");
        }
    }

    private static ProblemException notFound(String email) {
        return new ProblemException(404, "Not Found", "No contact with email " + Echo.clip(email) + ".");
    }
}
