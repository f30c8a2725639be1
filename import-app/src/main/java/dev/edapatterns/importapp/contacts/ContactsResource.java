package dev.edapatterns.importapp.contacts;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.errors.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/** Contacts read from the {@link ContactsView}; a delete is a tombstone on {@code import.contacts}. */
@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactsResource {

    /** A page of contacts; {@code next} is the {@code after} of the next page, null at the end. */
    public record Page(List<Contact> contacts, String next) {
    }

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
    public Contact get(@PathParam("email") String email) {
        requireView();
        return view.get(Contact.normalizeEmail(email)).orElseThrow(() -> notFound(email));
    }

    @APIResponse(responseCode = "200", description = "A page of contacts in email order")
    @APIResponse(responseCode = "400", description = "limit outside 1..1000")
    @APIResponse(responseCode = "503", description = "The contacts view is disabled on this instance")
    @GET
    public Page page(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") int limit) {
        requireView();
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit must be between 1 and 1000.");
        }
        List<Contact> contacts = view.page(after == null ? null : Contact.normalizeEmail(after), limit);
        return new Page(contacts, contacts.size() == limit ? contacts.get(contacts.size() - 1).email() : null);
    }

    @APIResponse(responseCode = "204", description = "Deleted (a tombstone on import.contacts)")
    @APIResponse(responseCode = "404", description = "No contact with this email")
    @APIResponse(responseCode = "503", description = "The contacts view is disabled on this instance")
    @DELETE
    @Path("/{email}")
    @Blocking
    public Response delete(@PathParam("email") String email) throws Exception {
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
        return new ProblemException(404, "Not Found", "No contact with email " + email + ".");
    }
}
