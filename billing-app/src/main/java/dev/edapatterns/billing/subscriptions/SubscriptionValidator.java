package dev.edapatterns.billing.subscriptions;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;

import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.billing.renewals.DueDates;
import dev.edapatterns.eventkit.errors.FieldError;
import dev.edapatterns.eventkit.errors.ProblemException;

/**
 * The rules of a subscription request that need more than the request (its fixed rules are annotations on
 * {@link SubscriptionRequest}): {@code paidUntil} lies within {@code billing.subscriptions.paid-until.*} of today in the
 * user's zone. A date long past would be charged at once for a debt nobody owes; one far ahead is never charged.
 */
@Singleton
class SubscriptionValidator {

    private final DueDates dueDates;
    private final SubscriptionsConfig.PaidUntil window;

    SubscriptionValidator(DueDates dueDates, BillingConfig config) {
        this.dueDates = dueDates;
        this.window = config.subscriptions().paidUntil();
    }

    void validate(SubscriptionRequest request) {
        if (request.paidUntil() != null) {
            checkPaidUntil(request.paidUntil(), dueDates.today(request.country()), window.maxPast(), window.maxFuture());
        }
    }

    /** The window rule alone: a 400 naming {@code paidUntil} unless it is within [today - maxPast, today + maxFuture]. */
    static void checkPaidUntil(LocalDate paidUntil, LocalDate today, Period maxPast, Period maxFuture) {
        LocalDate earliest = today.minus(maxPast);
        LocalDate latest = today.plus(maxFuture);
        if (paidUntil.isBefore(earliest) || paidUntil.isAfter(latest)) {
            throw ProblemException.invalid("The subscription is invalid.",
                    List.of(new FieldError("paidUntil", "a date from " + earliest + " to " + latest)));
        }
    }
}
