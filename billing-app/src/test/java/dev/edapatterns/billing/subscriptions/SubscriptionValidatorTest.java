package dev.edapatterns.billing.subscriptions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;
import dev.edapatterns.eventkit.errors.ProblemTypes;

/** The rule that needs today: how far paidUntil may lie from it (defaults: a year back, two years ahead). */
@Tag("unit")
class SubscriptionValidatorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);
    private static final Period PAST = Period.ofYears(1);
    private static final Period FUTURE = Period.ofYears(2);

    @Test
    void paidUntilFromAYearBackToTwoYearsAheadPasses() {
        for (String ok : List.of("2025-12-07", "2026-01-01", "2026-12-07", "2027-06-30", "2028-12-07")) {
            assertDoesNotThrow(() -> SubscriptionValidator.checkPaidUntil(LocalDate.parse(ok), TODAY, PAST, FUTURE), ok);
        }
    }

    @Test
    void paidUntilBeyondTheWindowIsA400NamingIt() {
        for (String bad : List.of("2025-12-06", "1900-01-01", "2028-12-08", "9999-12-31", "-999999999-01-01")) {
            ProblemException e = assertThrows(ProblemException.class,
                    () -> SubscriptionValidator.checkPaidUntil(LocalDate.parse(bad), TODAY, PAST, FUTURE), bad);
            assertEquals(400, e.status());
            var problem = e.toProblem("/subscriptions");
            assertEquals(ProblemTypes.INVALID_REQUEST, problem.type());
            assertEquals(List.of(new FieldError("paidUntil", "a date from 2025-12-07 to 2028-12-07")),
                    problem.extensions().get("errors"), bad);
        }
    }

    @Test
    void theWindowIsConfigurable() {
        Period week = Period.ofWeeks(1);
        assertDoesNotThrow(() -> SubscriptionValidator.checkPaidUntil(LocalDate.of(2026, 11, 30), TODAY, week, week));
        assertThrows(ProblemException.class, () -> SubscriptionValidator.checkPaidUntil(LocalDate.of(2026, 11, 29), TODAY, week, week));
        assertThrows(ProblemException.class, () -> SubscriptionValidator.checkPaidUntil(LocalDate.of(2026, 12, 15), TODAY, week, week));
    }
}
