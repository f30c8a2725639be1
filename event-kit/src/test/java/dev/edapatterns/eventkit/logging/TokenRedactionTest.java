package dev.edapatterns.eventkit.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Signed tokens leave a log record as a placeholder, in its message and in every message of its exception chain. */
@Tag("unit")
class TokenRedactionTest {

    /** A real RS256 token's shape (header {"kid":"k","alg":"RS256"}, a payload and a signature). */
    private static final String TOKEN = "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz_-x";

    @Test
    void aTokenInTheMessageOrTheExceptionChainIsRedacted() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "ID token verification has failed: %s",
                ExtLogRecord.FormatStyle.PRINTF, TokenRedactionTest.class.getName());
        record.setParameters(new Object[] { "Invalid JWS Signature: JsonWebSignature{\"kid\":\"k\"}->" + TOKEN });
        IllegalStateException cause = new IllegalStateException("rejected " + TOKEN + " (kid k)");
        record.setThrown(new RuntimeException("wrapped", cause));

        assertTrue(new TokenRedaction().isLoggable(record), "the line is kept");

        assertEquals("ID token verification has failed: Invalid JWS Signature: JsonWebSignature{\"kid\":\"k\"}->"
                + TokenRedaction.REDACTED, record.getFormattedMessage());
        assertEquals("java.lang.RuntimeException: wrapped", record.getThrown().toString());
        assertEquals("java.lang.IllegalStateException: rejected " + TokenRedaction.REDACTED + " (kid k)",
                record.getThrown().getCause().toString());
        assertEquals(cause.getStackTrace().length, record.getThrown().getCause().getStackTrace().length);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            assertFalse(t.toString().contains("eyJ"), t.toString());
        }
    }

    @Test
    void otherRecordsStayAsTheyAre() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "imported %d rows", ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[] { 12 });
        IllegalStateException thrown = new IllegalStateException("no token here");
        record.setThrown(thrown);
        assertTrue(new TokenRedaction().isLoggable(record));
        assertEquals("imported 12 rows", record.getFormattedMessage());
        assertEquals(thrown, record.getThrown());
        assertNull(TokenRedaction.redact(null));
    }
}
