package dev.edapatterns.eventkit.errors;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

/** A resource that fails in every way a real one can, to prove the problem+json mapping. */
@Path("/kit-test")
@PermitAll
public class ProblemTestResource {

    public record Payment(String customerId, int qty) {
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw new ProblemException(409, "Conflict", "Idempotency-Key was used with another body.")
                .with("errors", java.util.List.of(java.util.Map.of("line", 3, "reason", "invalid email")));
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("secret detail of dev.edapatterns.internal.Thing");
    }

    @POST
    @Path("/payments")
    @Consumes(MediaType.APPLICATION_JSON)
    public Payment echo(Payment payment) {
        return payment;
    }
}
