package dev.edapatterns.billing.dlq;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edapatterns.billing.BillingConfig;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/** The renewals' dead-letter topic, browsed and redriven through event-kit. */
@Singleton
public class RenewalsDeadLetters {

    @Produces
    @Singleton
    DeadLetterQueue renewalsDlq(KafkaClients clients, BillingConfig config) {
        return new DeadLetterQueue(clients, config.renewals().retry().deadLetterTopic(), Topics.BILLING_RENEWALS.name());
    }

    void close(@Disposes DeadLetterQueue queue) {
        queue.close();
    }
}
