package dev.edapatterns.notify.progress;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The end of an import's trace: the WebSocket push of a progress event is a span whose parent is the span named in
 * the record's {@code traceparent} (the writer's, in import-app); records without one get no span.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class ProgressTracingTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void thePushOfAnEventContinuesTheTraceInItsHeaders() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String writerSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String channel = ProgressEvents.newChannelId();
        try (ProgressEvents events = new ProgressEvents(); TestClient client = new TestClient(base, "/progress/" + channel)) {
            events.send(channel, "untraced", 1);
            events.send(channel, "traced", 2, "00-" + traceId + "-" + writerSpanId + "-01");
            await().atMost(Duration.ofSeconds(30)).until(() -> client.events.size() == 2);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> !pushesOf(channel).isEmpty());
        List<SpanData> pushes = pushesOf(channel);
        assertEquals(1, pushes.size(), "one span, for the traced record only: " + pushes);
        SpanData push = pushes.get(0);
        assertEquals(traceId, push.getTraceId());
        assertEquals(writerSpanId, push.getParentSpanId());
        assertEquals(SpanKind.CONSUMER, push.getKind());
    }

    private List<SpanData> pushesOf(String channel) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("progress push"))
                .filter(s -> channel.equals(s.getAttributes().asMap().entrySet().stream()
                        .filter(e -> e.getKey().getKey().equals("progress.channel")).map(e -> String.valueOf(e.getValue()))
                        .findFirst().orElse(null)))
                .toList();
    }
}
