package dev.edapatterns.eventkit.tracing;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;

/** {@link KafkaTracing} over the app's OpenTelemetry SDK (quarkus-opentelemetry), or no-op in an app without it. */
@Singleton
public class KafkaTracingProducer {

    @Produces
    @Singleton
    KafkaTracing kafkaTracing(Instance<OpenTelemetry> openTelemetry) {
        return openTelemetry.isResolvable() ? new KafkaTracing(openTelemetry.get()) : KafkaTracing.noop();
    }
}
