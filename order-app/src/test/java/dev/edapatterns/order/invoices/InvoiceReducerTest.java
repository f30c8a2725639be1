package dev.edapatterns.order.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.orders.Invoice;
import dev.edapatterns.contracts.orders.InvoiceCommand;
import dev.edapatterns.contracts.orders.InvoiceCounter;
import dev.edapatterns.eventkit.store.Emit;
import dev.edapatterns.eventkit.store.Outcome;

@Tag("unit")
class InvoiceReducerTest {

    private static final Instant AT = Instant.parse("2026-12-06T12:00:00Z");
    private final InvoiceReducer reducer = new InvoiceReducer();

    private static InvoiceCommand command(int counter, String orderId) {
        return new InvoiceCommand(orderId, counter, orderId, "cust-1", "EUR", new BigDecimal("12.50"), AT);
    }

    @Test
    void theFirstOrderOfACounterGetsItsFirstNumberAndTheInvoiceIsEmitted() {
        Outcome<InvoiceCounter> out = reducer.apply("invoice-counter-2", null, command(2, "o-1"));
        assertEquals(new InvoiceCounter(2, 1, 3), out.state());
        assertEquals(List.of(new Emit<>(Topics.ORDERS_INVOICES, "o-1", new Invoice(3, "o-1", "cust-1", "EUR", new BigDecimal("12.50"), AT))),
                out.emits());
    }

    @Test
    void eachCounterHandsOutIncreasingNumbersThatNoOtherCounterUses() {
        Set<Long> all = new HashSet<>();
        for (int counter = 0; counter < InvoiceCommand.COUNTERS; counter++) {
            InvoiceCounter state = null;
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Outcome<InvoiceCounter> out = reducer.apply(InvoiceCommand.counterKey(counter), state, command(counter, "o-" + i));
                state = out.state();
                long number = ((Invoice) out.emits().get(0).value()).number();
                assertEquals(number, state.lastNumber());
                numbers.add(number);
            }
            assertEquals(20, state.issued());
            assertEquals(numbers.stream().sorted().toList(), numbers, "increasing within counter " + counter);
            all.addAll(numbers);
        }
        assertEquals(20 * InvoiceCommand.COUNTERS, all.size(), "no number twice");
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), Set.copyOf(all.stream().filter(n -> n <= 7).toList()), "no gaps");
    }

    @Test
    void commandsForAnotherCounterOrWithoutOrderAreRejected() {
        List<Object[]> bad = List.of(
                new Object[] { "invoice-counter-1", command(2, "o-1") },
                new Object[] { "invoice-counter--1", command(-1, "o-1") },
                new Object[] { "invoice-counter-6", command(InvoiceCommand.COUNTERS, "o-1") },
                new Object[] { "invoice-counter-0", command(0, null) });
        for (Object[] c : bad) {
            assertThrows(IllegalArgumentException.class, () -> reducer.apply((String) c[0], null, (InvoiceCommand) c[1]),
                    c[1].toString());
        }
    }
}
