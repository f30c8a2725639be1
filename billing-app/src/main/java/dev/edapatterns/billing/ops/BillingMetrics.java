package dev.edapatterns.billing.ops;

import java.util.function.ToDoubleFunction;

import jakarta.inject.Singleton;

import dev.edapatterns.billing.renewals.RenewalProcessor;
import dev.edapatterns.billing.renewals.RenewalScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The renewals on {@code /q/metrics}, read from the scheduler's and processor's own counters at scrape time:
 * {@code billing_renewals_due_total} (renewal commands the scheduler sent) and
 * {@code billing_renewals_total{outcome=charged|duplicate|failed|dead_lettered|cancelled|fenced}} (attempts by outcome;
 * failed ones go to the next retry topic, cancelled ones found their subscription cancelled and charged nothing,
 * fenced ones lost their claim to a takeover after its lease expired and recorded nothing). Retries per retry topic and the DLQ size come from event-kit
 * ({@code eventkit_retry_topic_records_total}, {@code eventkit_dlq_records}), the ledger's blocked users from
 * {@code eventkit_ordered_blocked_keys{processor="ledger"}}.
 */
@Startup
@Singleton
public class BillingMetrics {

    // meters hold their targets weakly: keep them here
    private final RenewalScheduler scheduler;
    private final RenewalProcessor processor;

    BillingMetrics(MeterRegistry registry, RenewalScheduler scheduler, RenewalProcessor processor) {
        this.scheduler = scheduler;
        this.processor = processor;
        FunctionCounter.builder("billing.renewals.due", scheduler, RenewalScheduler::emitted)
                .description("Renewal commands the scheduler sent for due subscriptions").register(registry);
        outcome(registry, processor, "charged", p -> p.stats().charged());
        outcome(registry, processor, "duplicate", p -> p.stats().duplicates());
        outcome(registry, processor, "failed", p -> p.stats().failed());
        outcome(registry, processor, "dead_lettered", p -> p.stats().deadLettered());
        outcome(registry, processor, "cancelled", p -> p.stats().cancelled());
        outcome(registry, processor, "fenced", p -> p.stats().fenced());
    }

    private static void outcome(MeterRegistry registry, RenewalProcessor processor, String outcome,
            ToDoubleFunction<RenewalProcessor> value) {
        FunctionCounter.builder("billing.renewals", processor, value).description("Renewal attempts by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
