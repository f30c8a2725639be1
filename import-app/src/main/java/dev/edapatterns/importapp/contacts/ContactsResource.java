package dev.edapatterns.importapp.contacts;

import java.time.Duration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.reactive.messaging.Channel;

import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.errors.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * {@code DELETE /contacts/{email}}: a tombstone on {@code import.contacts} (role {@code crm}: contacts are the shop's).
 * import-app writes contacts and keeps none: the reads are order-app's read model ({@code GET /customers...}), which
 * deletes the customer when it projects the tombstone. So the answer is always 204: the writer does not know whether
 * the contact exists, and deleting an absent one changes nothing.
 */
@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
public class ContactsResource {

    public static final String CRM_ROLE = "crm";
    /** The longest address SMTP carries (RFC 5321): longer keys are refused, not written. */
    static final int MAX_EMAIL_LENGTH = 254;
    /** The contact the POST /imports example uploads. */
    private static final String EMAIL_EXAMPLE = "ann@example.com";

    /** channel contacts-tombstones-out: import.contacts, acks=all, idempotent; only tombstones go through it */
    private final MutinyEmitter<Record<String, byte[]>> tombstones;

    ContactsResource(@Channel("contacts-tombstones-out") MutinyEmitter<Record<String, byte[]>> tombstones) {
        this.tombstones = tombstones;
    }

    @APIResponse(responseCode = "204", description = "Deleted, or never there: a tombstone on import.contacts")
    @APIResponse(responseCode = "400", description = "Not an email (blank, control characters, over 254 characters)")
    @DELETE
    @Path("/{email}")
    @Blocking
    @RolesAllowed(CRM_ROLE)
    public Response delete(@Parameter(name = "email", example = EMAIL_EXAMPLE) @PathParam("email") String email)
            throws Exception {
        String key = Contact.normalizeEmail(email);
        if (key.isEmpty() || key.length() > MAX_EMAIL_LENGTH || key.chars().anyMatch(c -> Character.isISOControl(c)
                || Character.isWhitespace(c))) {
            throw ProblemException.invalidParameter("email", "must be an email of 1.." + MAX_EMAIL_LENGTH
                    + " characters without spaces or control characters.");
        }
        tombstones.send(Record.of(key, null)).await().atMost(Duration.ofSeconds(30));
        return Response.noContent().build();
    }
}
