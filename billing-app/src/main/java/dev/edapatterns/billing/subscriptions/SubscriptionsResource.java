package dev.edapatterns.billing.subscriptions;

import java.net.URI;
import java.time.LocalDate;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.edapatterns.billing.renewals.DueDates;
import dev.edapatterns.contracts.billing.Subscription;
import dev.edapatterns.contracts.billing.Subscription.Status;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;

/** Subscriptions: created/replaced by POST, read from this instance's store, cancelled by DELETE. */
@Path("/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private final CompactedStore<String, Subscription> store;
    private final SubscriptionWriter writer;
    private final DueDates dueDates;

    SubscriptionsResource(CompactedStore<String, Subscription> store, SubscriptionWriter writer, DueDates dueDates) {
        this.store = store;
        this.writer = writer;
        this.dueDates = dueDates;
    }

    /** Validated before anything is written: a bad request commits nothing. */
    @APIResponse(responseCode = "201", description = "Written to billing.subscriptions; Location names it")
    @APIResponse(responseCode = "400", description = "Missing or invalid fields")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(SubscriptionRequest request) {
        SubscriptionValidator.validate(request);
        requireLoaded();
        LocalDate paidUntil = request.paidUntil() != null ? request.paidUntil() : dueDates.today(request.country());
        Subscription subscription = new Subscription(request.userId(), request.plan(), request.price(), request.currency(),
                request.country(), request.cardToken(), paidUntil, Status.ACTIVE);
        writer.write(subscription);
        return Response.created(URI.create("/subscriptions/" + subscription.userId())).entity(subscription).build();
    }

    @APIResponse(responseCode = "200", description = "The subscription")
    @APIResponse(responseCode = "404", description = "No subscription for this user")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @GET
    @Path("/{userId}")
    public Subscription get(@PathParam("userId") String userId) {
        requireLoaded();
        return store.get(userId).orElseThrow(() -> notFound(userId));
    }

    /** Cancels: the record stays (status CANCELLED) so the scheduler and the history know it ended. */
    @APIResponse(responseCode = "200", description = "Cancelled (also when it already was)")
    @APIResponse(responseCode = "404", description = "No subscription for this user")
    @APIResponse(responseCode = "503", description = "The subscriptions are still loading")
    @DELETE
    @Path("/{userId}")
    public Subscription cancel(@PathParam("userId") String userId) {
        requireLoaded();
        Subscription current = store.get(userId).orElseThrow(() -> notFound(userId));
        if (current.status() == Status.CANCELLED) {
            return current;
        }
        Subscription cancelled = new Subscription(current.userId(), current.plan(), current.price(), current.currency(),
                current.country(), current.cardToken(), current.paidUntil(), Status.CANCELLED);
        writer.write(cancelled);
        return cancelled;
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
