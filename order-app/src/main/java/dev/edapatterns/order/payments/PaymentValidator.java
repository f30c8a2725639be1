package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.OrderConfig;

/**
 * Turns a payment request into the {@link PurchaseCompleted} that goes on the topic, or refuses it with a 400 listing
 * the bad fields. Two steps: {@link #checkShape} (the configured {@link PaymentBounds}, then the request's
 * constraints) needs nothing but the request and runs first; {@link #validate} needs the countries store
 * (pattern 3), so it only answers once that store is loaded (503 before), and computes the total last.
 */
@Singleton
public class PaymentValidator {

    private final Validator constraints;
    private final PaymentBounds bounds;
    private final BooleanSupplier countriesLoaded;
    private final Function<String, Optional<Country>> countries;

    @Inject
    PaymentValidator(Validator constraints, CompactedStore<String, Country> countries, OrderConfig config) {
        this(constraints, PaymentBounds.of(config.payments()), countries::isLoaded, countries::get);
    }

    /** Over any country lookup: the rules alone, without a store (unit tests). */
    PaymentValidator(Validator constraints, PaymentBounds bounds, BooleanSupplier countriesLoaded,
            Function<String, Optional<Country>> countries) {
        this.constraints = constraints;
        this.bounds = bounds;
        this.countriesLoaded = countriesLoaded;
        this.countries = countries;
    }

    /** The request with codes upper-cased and prices without trailing zeros: what the idempotency hash is taken of. */
    static PaymentRequest normalize(PaymentRequest r) {
        List<PaymentRequest.Item> items = r.items() == null ? null : r.items().stream()
                .map(i -> i == null ? null : new PaymentRequest.Item(i.sku(), i.qty(),
                        i.unitPrice() == null ? null : i.unitPrice().stripTrailingZeros()))
                .toList();
        return new PaymentRequest(r.customerId(), items, upper(r.currency()), upper(r.shippingCountry()));
    }

    /**
     * The rules that need nothing but the request: the configured bounds first (400 with every bound exceeded; a list
     * over the maximum is not looked into), then its constraints (400 with every violation, answered by event-kit's
     * mapping). Past this the request is small: normalizing and hashing it is cheap.
     */
    public void checkShape(PaymentRequest body) {
        List<FieldError> errors = bounds.check(body);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        Set<ConstraintViolation<PaymentRequest>> violations = constraints.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }

    /** The purchase of a request that passed {@link #checkShape}, if its shipping country is known. */
    public PurchaseCompleted validate(String orderId, PaymentRequest body, Instant paidAt) {
        if (!countriesLoaded.getAsBoolean()) {
            throw new ProblemException(503, "Service Unavailable", "The countries are still loading; retry shortly.");
        }
        if (countries.apply(body.shippingCountry()).isEmpty()) {
            throw invalid(List.of(new FieldError("shippingCountry", "Not a known country (GET /countries).")));
        }
        List<OrderItem> lines = body.items().stream().map(i -> new OrderItem(i.sku(), i.qty(), i.unitPrice())).toList();
        BigDecimal total = lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new PurchaseCompleted(orderId, body.customerId(), lines, body.currency(), body.shippingCountry(), total,
                paidAt);
    }

    private static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining(" "));
        return ProblemException.invalid("The payment is invalid. " + detail, errors);
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
