package dev.edapatterns.eventkit.errors;

import java.math.BigDecimal;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A resource that fails in every way a real one can, to prove the problem+json mapping. */
@Path("/kit-test")
@PermitAll
public class ProblemTestResource {

    public record Payment(String customerId, int qty) {
    }

    /** A body whose bounds are Bean Validation constraints. */
    public record Order(@NotBlank @Size(max = 8, message = "At most 8 characters.") String name,
            @NotNull @Size(max = 2, message = "At most 2 lines.") List<@Valid Line> lines) {
    }

    public record Line(int qty, double ratio,
            @NotNull @DecimalMin(value = "0.01", message = "At least 0.01.") @Digits(integer = 6, fraction = 2,
                    message = "At most 6 digits before the point and 2 after.") BigDecimal price) {
    }

    @POST
    @Path("/orders")
    @Consumes(MediaType.APPLICATION_JSON)
    public Order order(@Valid @NotNull Order order) {
        return order;
    }

    @GET
    @Path("/page")
    public String page(@QueryParam("limit") @Max(value = 100, message = "At most 100.") Integer limit) {
        return "limit " + limit;
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
