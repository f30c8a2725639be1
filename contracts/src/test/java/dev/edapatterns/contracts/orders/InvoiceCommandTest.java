package dev.edapatterns.contracts.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class InvoiceCommandTest {

    @Test
    void everyOrderIdMapsToOneOfTheCountersAlsoForNegativeHashes() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String orderId = "order-" + i;
            int counter = InvoiceCommand.counterOf(orderId);
            assertTrue(counter >= 0 && counter < InvoiceCommand.COUNTERS, orderId + " -> " + counter);
            assertEquals(counter, InvoiceCommand.counterOf(new String(orderId)), "stable");
            used.add(counter);
        }
        assertEquals(InvoiceCommand.COUNTERS, used.size(), "every counter is used");
        assertTrue("polygenelubricants".hashCode() == Integer.MIN_VALUE);
        assertEquals(Math.floorMod(Integer.MIN_VALUE, InvoiceCommand.COUNTERS), InvoiceCommand.counterOf("polygenelubricants"));
    }

    @Test
    void theCounterKeyNamesTheCounter() {
        assertEquals("invoice-counter-0", InvoiceCommand.counterKey(0));
        assertEquals("invoice-counter-5", InvoiceCommand.counterKey(5));
    }

    @Test
    void ofTakesTheOrderIdAsCommandIdAndCopiesTheInvoicedFields() {
        Instant at = Instant.parse("2026-12-06T12:00:00Z");
        CheckoutCompleted order = new CheckoutCompleted("o-7", "cust", List.of(new OrderItem("a", 1, BigDecimal.ONE)), "EUR", "FR",
                new BigDecimal("1.00"), at);
        assertEquals(new InvoiceCommand("o-7", InvoiceCommand.counterOf("o-7"), "o-7", "cust", "EUR", new BigDecimal("1.00"), at),
                InvoiceCommand.of(order));
    }

    @Test
    void countersHandOutDisjointIncreasingNumbersStartingAtOne() {
        Set<Long> seen = new HashSet<>();
        for (int counter = 0; counter < InvoiceCommand.COUNTERS; counter++) {
            for (long n = 0; n < 100; n++) {
                long number = InvoiceCounter.number(counter, n);
                assertTrue(seen.add(number), "number " + number + " handed out twice");
                assertTrue(n == 0 || number > InvoiceCounter.number(counter, n - 1));
            }
        }
        for (long number = 1; number <= 600; number++) {
            assertTrue(seen.contains(number), "gap at " + number);
        }
    }
}
