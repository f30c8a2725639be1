package dev.edapatterns.billing.dlq;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.billing.CardTokens;
import dev.edapatterns.contracts.billing.RenewalCommand;
import dev.edapatterns.contracts.retry.Redrive;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.dlq.RecordedRedrives;
import dev.edapatterns.eventkit.dlq.RedriveEncoding;
import dev.edapatterns.eventkit.kafka.KafkaClients;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/** The renewals' dead-letter topic, browsed and redriven through event-kit; its redrives recorded durably. */
@Singleton
public class RenewalsDeadLetters {

    /**
     * A redriven renewal is today's {@link RenewalCommand}, re-encoded: a card token that a letter written by an older
     * version still holds stays in the DLQ and is not copied to billing.renewals (card tokens live on
     * billing.subscriptions only). A letter that does not read as a renewal at all is copied as it is, any
     * {@code "cardToken"} member in its text emptied.
     */
    static final RedriveEncoding ENCODING = RedriveEncoding.current(Topics.BILLING_RENEWALS,
            (topic, headers, value) -> CardTokens.withoutTokens(value));

    @Produces
    @Singleton
    DeadLetterQueue renewalsDlq(KafkaClients clients, BillingConfig config) {
        return new DeadLetterQueue(clients, config.renewals().retry().deadLetterTopic(), Topics.BILLING_RENEWALS.name(),
                ENCODING);
    }

    void close(@Disposes DeadLetterQueue queue) {
        queue.close();
    }

    /** Loaded at start-up (readiness waits for it): every instance lists what any instance redrove. */
    @Produces
    @Singleton
    @Startup
    CompactedStore<String, Redrive> redrivesStore(Stores stores) {
        return stores.compacted(Topics.BILLING_RENEWALS_DLQ_REDRIVES);
    }

    /**
     * At start-up: its transactional id fences a killed predecessor's producer and aborts the redrive it left open at
     * once, which would otherwise hold back the read_committed readers of billing.renewals until the transaction times out.
     */
    @Produces
    @Singleton
    @Startup
    RecordedRedrives redrives(DeadLetterQueue queue, CompactedStore<String, Redrive> store, KafkaClients clients,
            BillingConfig config) {
        return new RecordedRedrives(queue, Topics.BILLING_RENEWALS_DLQ_REDRIVES, store, clients,
                config.dlq().redrives().transactionalId());
    }

    void close(@Disposes RecordedRedrives redrives) {
        redrives.close();
    }
}
