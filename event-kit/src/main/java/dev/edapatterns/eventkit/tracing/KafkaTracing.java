package dev.edapatterns.eventkit.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Trace context across the kit's own (plain) Kafka clients, the way the SmallRye connector does it for channels:
 * the W3C {@code traceparent}/{@code tracestate} headers of a record carry the context of the span that produced
 * it, and the span that handles a record is a child of that context. So one trace runs from an HTTP request through
 * every record it causes, whichever client wrote or read them.
 *
 * <p>Records without a trace context get no span: replays, benchmarks and untraced producers cost nothing. With
 * {@link #noop()} (no OpenTelemetry SDK, e.g. outside Quarkus) everything here does nothing.
 */
public final class KafkaTracing {

    private static final KafkaTracing NOOP = new KafkaTracing(OpenTelemetry.noop());

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;

    public KafkaTracing(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.tracer = openTelemetry.getTracer("dev.edapatterns.eventkit");
    }

    public static KafkaTracing noop() {
        return NOOP;
    }

    /** Writes {@code context} into the headers (replacing a trace context already there); nothing if it has no span. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, SETTER);
    }

    /** {@link #inject} of the caller's current context (e.g. the HTTP request's span). */
    public void injectCurrent(Headers headers) {
        inject(Context.current(), headers);
    }

    /** The context a record's headers carry (root context when none). */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, GETTER);
    }

    /**
     * Starts a {@code CONSUMER} span for handling {@code record}, child of the context in its headers; the invalid
     * (no-op) span when the record carries none. The caller ends it.
     */
    public Span startConsumer(String name, ConsumerRecord<?, ?> record) {
        Context parent = extract(record.headers());
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .startSpan();
    }

    /**
     * Starts a {@code PRODUCER} span, child of the current context, for a batch of records written together (e.g. one
     * transaction); inject {@code Context.current().with(span)} into each. The caller ends it.
     */
    public Span startProducer(String name, String topic) {
        return tracer.spanBuilder(name)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
    }
}
