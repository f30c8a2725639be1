package dev.edapatterns.eventkit.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.dlq.DeadLetterQueue;

@Tag("unit")
class DeadLettersTest {

    @Test
    void keepsKeyBytesAndHeadersAndAddsTheCauseHeaders() {
        ConsumerRecord<String, byte[]> r = BatchTest.record("import.contacts", 3, 42, 1_000, "a@x.io", "{nope");
        r.headers().add("schema-version", "1".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetterQueue.ATTEMPTS, "7".getBytes(StandardCharsets.UTF_8));
        Instant now = Instant.parse("2026-12-07T05:00:00Z");

        ProducerRecord<String, byte[]> dlq = DeadLetters.of("import.contacts.dlq", r,
                new UnreadableRecord("not a contact", new IllegalArgumentException("bad json")), now);

        assertEquals("import.contacts.dlq", dlq.topic());
        assertEquals(3, dlq.partition());
        assertEquals("a@x.io", dlq.key());
        assertArrayEquals(r.value(), dlq.value());
        assertEquals("1", header(dlq, "schema-version"));
        assertEquals("import.contacts", header(dlq, DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals("3", header(dlq, DeadLetterQueue.ORIGINAL_PARTITION));
        assertEquals("42", header(dlq, DeadLetterQueue.ORIGINAL_OFFSET));
        assertEquals("2026-12-07T05:00:00Z", header(dlq, DeadLetterQueue.FIRST_FAILURE_AT));
        assertEquals("java.lang.IllegalArgumentException", header(dlq, DeadLetterQueue.EXCEPTION_CLASS));
        assertEquals("not a contact", header(dlq, DeadLetterQueue.EXCEPTION_MESSAGE));
        // one value per cause header, even when the original carried one
        assertEquals("1", header(dlq, DeadLetterQueue.ATTEMPTS));
        int attempts = 0;
        for (var h : dlq.headers().headers(DeadLetterQueue.ATTEMPTS)) {
            attempts++;
        }
        assertEquals(1, attempts);
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
