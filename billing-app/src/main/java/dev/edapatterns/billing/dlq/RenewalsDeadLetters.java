package dev.edapatterns.billing.dlq;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.kafka.KafkaClients;

/** The renewals' dead-letter topic, browsed and redriven through event-kit. */
@Singleton
public class RenewalsDeadLetters {

    @Produces
    @Singleton
    DeadLetterQueue renewalsDlq(KafkaClients clients,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.dead-letter-queue.topic") String dlq,
            @ConfigProperty(name = "mp.messaging.incoming.renewals.topic") String source) {
        return new DeadLetterQueue(clients, dlq, source);
    }

    void close(@Disposes DeadLetterQueue queue) {
        queue.close();
    }
}
