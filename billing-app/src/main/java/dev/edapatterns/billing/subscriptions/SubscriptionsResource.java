package dev.edapatterns.billing.subscriptions;

import java.net.URI;
import java.time.LocalDate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import dev.edapatterns.billing.BillingRoles;
import dev.edapatterns.billing.InputRules;
import dev.edapatterns.billing.renewals.DueDates;
import dev.edapatterns.contracts.billing.Subscription.Status;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.security.Owners;
import dev.edapatterns.eventkit.store.CompactedStore;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Subscriptions: created/replaced by POST, read from this instance's store, cancelled by DELETE. A customer acts for
 * itself only (the userId is its principal name), billing-admin for anyone; someone else's userId answers 403 whether
 * or not it exists. The card token is write-only: answers show its last 4 characters ({@link SubscriptionView}).
 */
@Path("/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    static final String EXAMPLE_USER = "alice@example.com";
    /** Without paidUntil (due today): any fixed date would leave the accepted window some day. */
    static final String EXAMPLE_BODY = """
            {"userId":"alice@example.com","plan":"pro","price":9.90,"currency":"EUR","country":"FR",\
            "cardToken":"tok_visa_4242"}""";

    private final CompactedStore<String, Subscription> store;
    private final SubscriptionWriter writer;
    private final DueDates dueDates;
    private final SubscriptionValidator validator;
    private final SecurityIdentity identity;

    SubscriptionsResource(CompactedStore<String, Subscription> store, SubscriptionWriter writer, DueDates dueDates,
            SubscriptionValidator validator, SecurityIdentity identity) {
        this.store = store;
        this.writer = writer;
        this.dueDates = dueDates;
        this.validator = validator;
        this.identity = identity;
    }

    /**
     * Checked before anything is written (the body's fixed rules, then the owner, then paidUntil against today): a
     * refused or bad request commits nothing.
     */
    @APIResponse(responseCode = "201", description = "Written to billing.subscriptions; Location names it")
    @APIResponse(responseCode = "400", description = "Missing or invalid fields, paidUntil too far from today")
    @APIResponse(responseCode = "401", description = "No or wrong credentials")
    @APIResponse(responseCode = "403", description = "The userId is another user's (only billing-admin acts for anyone)")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @RolesAllowed({ BillingRoles.CUSTOMER, BillingRoles.ADMIN })
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "example", value = EXAMPLE_BODY))) @Valid @NotNull(message = "a JSON body is required")
            SubscriptionRequest body) {
        SubscriptionRequest request = body.userId() != null ? body : body.forUser(Owners.principal(identity));
        requireOwner(request.userId());
        validator.validate(request);
        requireLoaded();
        LocalDate paidUntil = request.paidUntil() != null ? request.paidUntil() : dueDates.today(request.country());
        Subscription subscription = new Subscription(request.userId(), request.plan(), request.price(), request.currency(),
                request.country(), request.cardToken(), paidUntil, Status.ACTIVE);
        writer.write(subscription);
        return Response.created(URI.create("/subscriptions/" + subscription.userId())).entity(SubscriptionView.of(subscription))
                .build();
    }

    @APIResponse(responseCode = "200", description = "The subscription (the card as its last 4 characters)")
    @APIResponse(responseCode = "400", description = "Not a userId")
    @APIResponse(responseCode = "401", description = "No or wrong credentials")
    @APIResponse(responseCode = "403", description = "Another user's userId (only billing-admin reads anyone's)")
    @APIResponse(responseCode = "404", description = "No subscription for this user")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @RolesAllowed({ BillingRoles.CUSTOMER, BillingRoles.ADMIN })
    @GET
    @Path("/{userId}")
    public SubscriptionView get(@Parameter(name = "userId", example = EXAMPLE_USER) @PathParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId) {
        requireOwner(userId);
        requireLoaded();
        return SubscriptionView.of(store.get(userId).orElseThrow(() -> notFound(userId)));
    }

    /** Cancels: the record stays (status CANCELLED) so the scheduler and the history know it ended. */
    @APIResponse(responseCode = "200", description = "Cancelled (also when it already was)")
    @APIResponse(responseCode = "400", description = "Not a userId")
    @APIResponse(responseCode = "401", description = "No or wrong credentials")
    @APIResponse(responseCode = "403", description = "Another user's userId (only billing-admin cancels anyone's)")
    @APIResponse(responseCode = "404", description = "No subscription for this user")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @RolesAllowed({ BillingRoles.CUSTOMER, BillingRoles.ADMIN })
    @DELETE
    @Path("/{userId}")
    public SubscriptionView cancel(@Parameter(name = "userId", example = EXAMPLE_USER) @PathParam("userId")
            @Pattern(regexp = InputRules.USER_ID, message = InputRules.USER_ID_MESSAGE) String userId) {
        requireOwner(userId);
        requireLoaded();
        Subscription current = store.get(userId).orElseThrow(() -> notFound(userId));
        if (current.status() == Status.CANCELLED) {
            return SubscriptionView.of(current);
        }
        Subscription cancelled = new Subscription(current.userId(), current.plan(), current.price(), current.currency(),
                current.country(), current.cardToken(), current.paidUntil(), Status.CANCELLED);
        writer.write(cancelled);
        return SubscriptionView.of(cancelled);
    }

    /** Before any lookup: a 404 would tell another user that a subscription does not exist. */
    private void requireOwner(String userId) {
        Owners.requireSelfOrRole(identity, userId, BillingRoles.ADMIN);
    }

    private static ProblemException notFound(String userId) {
        return new ProblemException(404, "Not Found", "No subscription for user " + userId + ".");
    }

    private void requireLoaded() {
        if (!store.isLoaded()) {
            throw new ProblemException(503, "Service Unavailable", "The subscriptions are still loading.");
        }
    }
}
