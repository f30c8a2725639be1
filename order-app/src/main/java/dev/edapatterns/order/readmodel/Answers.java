package dev.edapatterns.order.readmodel;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import dev.edapatterns.contracts.orders.OrderItem;

/** The read model's answers (JSON). */
public final class Answers {

    private Answers() {
    }

    /** One page of a keyset-paged list: {@code next} is the {@code after} of the next page, null on the last. */
    public record Page<T>(List<T> items, String next) {
    }

    public record Customer(String email, String name, String country, String phone, String timeZone, String importId,
            Instant updatedAt) {
    }

    /** One order of a customer's history: {@code total} is the invoiced one once invoiced, else the items' sum. */
    public record OrderSummary(String orderId, Instant checkedOutAt, String shippingCountry, List<OrderItem> items,
            BigDecimal total, String currency, Long invoiceNumber, String deliveryStatus) {
    }

    public record DayRevenue(LocalDate day, long orders, BigDecimal revenue) {
    }

    /** Invoiced revenue per UTC day, days without orders left out. */
    public record Revenue(String currency, LocalDate from, LocalDate to, List<DayRevenue> days) {
    }
}
