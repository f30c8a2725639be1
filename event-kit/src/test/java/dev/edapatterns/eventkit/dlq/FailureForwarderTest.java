package dev.edapatterns.eventkit.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FailureForwarderTest {

    private static final Instant FIRST = Instant.parse("2026-12-07T05:00:00Z");
    private static final Instant SECOND = Instant.parse("2026-12-07T05:00:30Z");

    @Test
    void theFirstHopKeepsKeyBytesAndPartitionAndStampsWhereItFailedFirst() {
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("billing.renewals", 4, 17, "user-1", bytes("{\"u\":1}"));
        source.headers().add("traceparent", bytes("00-abc-def-01"));

        ProducerRecord<String, byte[]> hop = FailureForwarder.nextHop("billing.renewals.retry_5s", source,
                new IllegalStateException("provider down"), FIRST);

        assertEquals("billing.renewals.retry_5s", hop.topic());
        assertEquals(4, hop.partition());
        assertEquals("user-1", hop.key());
        assertArrayEquals(source.value(), hop.value());
        assertEquals("00-abc-def-01", header(hop, "traceparent"));
        assertEquals("billing.renewals", header(hop, DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals("4", header(hop, DeadLetterQueue.ORIGINAL_PARTITION));
        assertEquals("17", header(hop, DeadLetterQueue.ORIGINAL_OFFSET));
        assertEquals(FIRST.toString(), header(hop, DeadLetterQueue.FIRST_FAILURE_AT));
        assertEquals("java.lang.IllegalStateException", header(hop, DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals("provider down", header(hop, DeadLetterQueue.EXCEPTION_MESSAGE));
        assertEquals("1", header(hop, DeadLetterQueue.ATTEMPTS));
        assertEquals(FIRST.toString(), header(hop, DeadLetterQueue.LAST_FAILURE_AT));
    }

    @Test
    void aLaterHopKeepsTheFirstFailureAndRewritesTheAttemptOnce() {
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("billing.renewals", 4, 17, "user-1", bytes("{}"));
        ProducerRecord<String, byte[]> first = FailureForwarder.nextHop("retry_5s", source, new IllegalStateException("a"), FIRST);
        ConsumerRecord<String, byte[]> retried = new ConsumerRecord<>(first.topic(), 4, 3, first.key(), first.value());
        first.headers().forEach(h -> retried.headers().add(h));

        ProducerRecord<String, byte[]> second = FailureForwarder.nextHop("billing.renewals.dlq", retried,
                new IllegalArgumentException("b"), SECOND);

        assertEquals(4, second.partition());
        // where it failed first stays the source topic and the first time, whatever topic it was read from since
        assertEquals(List.of("billing.renewals"), values(second, DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals(List.of("17"), values(second, DeadLetterQueue.ORIGINAL_OFFSET));
        assertEquals(List.of(FIRST.toString()), values(second, DeadLetterQueue.FIRST_FAILURE_AT));
        // this attempt's headers once each, never the earlier attempt's beside them
        assertEquals(List.of("2"), values(second, DeadLetterQueue.ATTEMPTS));
        assertEquals(List.of("b"), values(second, DeadLetterQueue.EXCEPTION_MESSAGE));
        assertEquals(List.of("java.lang.IllegalArgumentException"), values(second, DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals(List.of(SECOND.toString()), values(second, DeadLetterQueue.LAST_FAILURE_AT));
        assertEquals(1, FailureForwarder.attempts(retried));
        assertEquals(Optional.of(FIRST), FailureForwarder.firstFailure(retried));
    }

    @Test
    void unreadableBookkeepingCountsAsNoEarlierFailure() {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("t", 0, 0, "k", bytes("{}"));
        r.headers().add(DeadLetterQueue.ATTEMPTS, bytes("many"));
        r.headers().add(DeadLetterQueue.FIRST_FAILURE_AT, bytes("yesterday"));

        assertEquals(0, FailureForwarder.attempts(r));
        assertEquals(Optional.empty(), FailureForwarder.firstFailure(r));
        assertEquals("1", header(FailureForwarder.nextHop("t.dlq", r, new RuntimeException("x"), FIRST), DeadLetterQueue.ATTEMPTS));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<String> values(ProducerRecord<String, byte[]> r, String name) {
        List<String> values = new ArrayList<>();
        for (Header h : r.headers().headers(name)) {
            values.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return values;
    }
}
