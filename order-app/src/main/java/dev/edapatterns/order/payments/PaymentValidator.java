package dev.edapatterns.order.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.orders.OrderItem;
import dev.edapatterns.contracts.orders.PurchaseCompleted;
import dev.edapatterns.contracts.reference.Country;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.order.OrderConfig;
import dev.edapatterns.order.countries.CountryValidator.FieldError;

/**
 * Turns a payment request into the {@link PurchaseCompleted} that goes on the topic, or refuses it with ONE 400
 * listing every bad field. The shipping country must be in the countries store (pattern 3), so it only answers
 * once that store is loaded (503 before).
 */
@Singleton
public class PaymentValidator {

    static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> CURRENCY_CODES = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private final BooleanSupplier countriesLoaded;
    private final Function<String, Optional<Country>> countries;
    private final int maxItems;

    @Inject
    PaymentValidator(CompactedStore<String, Country> countries, OrderConfig config) {
        this(countries::isLoaded, countries::get, config.payments().maxItems());
    }

    /** Over any country lookup: the rules alone, without a store (unit tests). */
    PaymentValidator(BooleanSupplier countriesLoaded, Function<String, Optional<Country>> countries, int maxItems) {
        this.countriesLoaded = countriesLoaded;
        this.countries = countries;
        this.maxItems = maxItems;
    }

    static void requireOrderId(String orderId) {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw ProblemException.badRequest("The orderId must match [A-Za-z0-9_-]{1,64}.")
                    .with("errors", List.of(new FieldError("orderId", "not [A-Za-z0-9_-]{1,64}")));
        }
    }

    /** The request with codes upper-cased and prices without trailing zeros: what the idempotency hash is taken of. */
    static PaymentRequest normalize(PaymentRequest r) {
        List<PaymentRequest.Item> items = r.items() == null ? null : r.items().stream()
                .map(i -> i == null ? null : new PaymentRequest.Item(i.sku(), i.qty(),
                        i.unitPrice() == null ? null : i.unitPrice().stripTrailingZeros()))
                .toList();
        return new PaymentRequest(r.customerId(), items, upper(r.currency()), upper(r.shippingCountry()));
    }

    public PurchaseCompleted validate(String orderId, PaymentRequest body, Instant paidAt) {
        if (!countriesLoaded.getAsBoolean()) {
            throw new ProblemException(503, "Service Unavailable", "The countries are still loading; retry shortly.");
        }
        List<FieldError> errors = new ArrayList<>();
        if (body.customerId() == null || body.customerId().isBlank()) {
            errors.add(new FieldError("customerId", "A customerId is required."));
        } else if (body.customerId().length() > 100) {
            errors.add(new FieldError("customerId", "The customerId is longer than 100 characters."));
        }
        if (body.currency() == null || !CURRENCY_CODES.contains(body.currency())) {
            errors.add(new FieldError("currency", "An ISO 4217 currency code (e.g. EUR) is required."));
        }
        if (body.shippingCountry() == null || countries.apply(body.shippingCountry()).isEmpty()) {
            errors.add(new FieldError("shippingCountry", "Not a known country (GET /countries)."));
        }
        List<PaymentRequest.Item> items = body.items();
        if (items == null || items.isEmpty()) {
            errors.add(new FieldError("items", "At least one item is required."));
        } else if (items.size() > maxItems) {
            errors.add(new FieldError("items", "At most " + maxItems + " items per order."));
        } else {
            for (int i = 0; i < items.size(); i++) {
                PaymentRequest.Item item = items.get(i);
                String field = "items[" + i + "]";
                if (item == null) {
                    errors.add(new FieldError(field, "An item is required."));
                    continue;
                }
                if (item.sku() == null || item.sku().isBlank() || item.sku().length() > 64) {
                    errors.add(new FieldError(field + ".sku", "A sku of 1..64 characters is required."));
                }
                if (item.qty() == null || item.qty() <= 0) {
                    errors.add(new FieldError(field + ".qty", "The quantity must be a positive integer."));
                }
                if (item.unitPrice() == null || item.unitPrice().signum() <= 0) {
                    errors.add(new FieldError(field + ".unitPrice", "The unit price must be positive."));
                }
            }
        }
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining(" "));
            throw ProblemException.badRequest("The payment is invalid. " + detail).with("errors", errors);
        }
        List<OrderItem> lines = items.stream().map(i -> new OrderItem(i.sku(), i.qty(), i.unitPrice())).toList();
        BigDecimal total = lines.stream().map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.qty())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new PurchaseCompleted(orderId, body.customerId(), lines, body.currency(), body.shippingCountry(), total,
                paidAt);
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
}
