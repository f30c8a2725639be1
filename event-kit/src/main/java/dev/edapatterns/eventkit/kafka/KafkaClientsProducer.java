package dev.edapatterns.eventkit.kafka;

import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.common.annotation.Identifier;

/** Exposes {@link KafkaClients} built from Quarkus' {@code kafka.*} configuration. */
@Singleton
public class KafkaClientsProducer {

    @Produces
    @Singleton
    KafkaClients kafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new KafkaClients(kafkaConfig);
    }
}
