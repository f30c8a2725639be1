package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.errors.ProblemException;

@Tag("unit")
class TimedUploadTest {

    /** A body whose read fails after {@code after}, as Quarkus' blocking read does when its timeout passes. */
    private static InputStream failingAfter(Duration after) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(after.toMillis()); // the client's silence, not a wait for the test's sake
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("Read timed out");
            }
        };
    }

    @Test
    void aBodyThatArrivesInTimeIsReadAsItIs() throws IOException {
        TimedUpload body = new TimedUpload(new ByteArrayInputStream(new byte[] { 1, 2, 3 }), Duration.ofSeconds(5),
                Duration.ofMinutes(1));
        assertEquals(3, body.readAllBytes().length);
    }

    @Test
    void anUploadPastItsMaxDurationIs408() {
        TimedUpload body = new TimedUpload(new ByteArrayInputStream(new byte[10]), Duration.ofSeconds(5), Duration.ZERO);
        ProblemException e = assertThrows(ProblemException.class, () -> body.read(new byte[4], 0, 4));
        assertEquals(408, e.status());
    }

    @Test
    void aReadThatGaveUpAfterTheReadTimeoutIs408AnyOtherBrokenBodyIs400() {
        TimedUpload quiet = new TimedUpload(failingAfter(Duration.ofMillis(60)), Duration.ofMillis(50), Duration.ofMinutes(1));
        assertEquals(408, assertThrows(ProblemException.class, () -> quiet.read(new byte[4], 0, 4)).status());
        TimedUpload broken = new TimedUpload(failingAfter(Duration.ZERO), Duration.ofSeconds(5), Duration.ofMinutes(1));
        assertEquals(400, assertThrows(ProblemException.class, () -> broken.read(new byte[4], 0, 4)).status());
    }
}
