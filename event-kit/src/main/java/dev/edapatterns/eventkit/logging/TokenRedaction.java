package dev.edapatterns.eventkit.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps signed tokens out of the log: a compact JWS or JWE in a log message or in the messages of its exception chain
 * is replaced by {@value #REDACTED}. quarkus-oidc logs a refused ID token whole when its verification fails (jose4j
 * puts the compact serialization into its exception message), and a refused token may still be a real user's valid
 * one (another audience, a key rotated away). The record is changed in place, so every handler after the console's
 * sees it redacted too. Selected by {@code quarkus.log.console.filter} (event-kit's microprofile-config.properties).
 */
@LoggingFilter(name = TokenRedaction.NAME)
public final class TokenRedaction implements Filter {

    public static final String NAME = "eda-token-redaction";
    static final String REDACTED = "<token redacted>";
    /**
     * Base64url segments joined by dots whose first one is a JSON object's start ({@code eyJ} is base64 of
     * <code>{"</code>): a JWS has three segments, a JWE five; two are enough to redact a cut-off one.
     */
    private static final Pattern TOKEN = Pattern.compile("eyJ[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*){1,4}");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && TOKEN.matcher(message).find()) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(redact(message), ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(redact(message));
            }
            record.setParameters(null);
        }
        if (record.getThrown() != null && mentionsToken(record.getThrown())) {
            record.setThrown(new Redacted(record.getThrown()));
        }
        return true;
    }

    static String redact(String text) {
        return text == null ? null : TOKEN.matcher(text).replaceAll(REDACTED);
    }

    private static boolean mentionsToken(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getMessage() != null && TOKEN.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    /** An exception of the chain as logged: its class name, redacted message and stack trace, the cause redacted too. */
    static final class Redacted extends RuntimeException {

        private final String type;

        Redacted(Throwable original) {
            super(redact(original.getMessage()), original.getCause() == null ? null : new Redacted(original.getCause()),
                    false, true);
            this.type = original instanceof Redacted r ? r.type : original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        @Override
        public String toString() {
            return getMessage() == null ? type : type + ": " + getMessage();
        }
    }
}
